/** The lab's version, from package.json (bundles record which version wrote them). */
import { version } from '../../../package.json';

export const APP_VERSION: string = version;
