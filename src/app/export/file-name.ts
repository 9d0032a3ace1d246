/** File names for exports: `mode-lab-<subject>-<date>-<time>.<extension>`, safe on every file system. */

export function exportFileName(subject: string, extension: string, when: Date = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const stamp = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}-${pad(when.getHours())}${pad(when.getMinutes())}`;
  return `mode-lab-${slug(subject)}-${stamp}.${extension}`;
}

/** lower-case ASCII letters, digits and single hyphens, at most 60 characters ("experiment" if nothing is left) */
export function slug(text: string): string {
  const plain = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return plain || 'experiment';
}
