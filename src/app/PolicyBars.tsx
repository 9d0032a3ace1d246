/** A small multiple of one policy over the bins: bars for π, the outline of π_ref, the reward dashed. SVG. */
interface Props {
  title: string;
  probs: number[];
  reference: number[];
  reward: number[];
  colour: string;
}

const W = 260;
const H = 120;

export function PolicyBars({ title, probs, reference, reward, colour }: Props) {
  const K = probs.length;
  const top = Math.max(...probs, ...reference) * 1.05;
  const x = (a: number) => (a / K) * W;
  const y = (p: number) => H - (p / top) * H;
  const outline = reference.map((p, a) => `${a === 0 ? 'M' : 'L'}${x(a)},${y(p)}H${x(a + 1)}`).join('');
  const maxReward = Math.max(...reward);
  const rewardPath = reward.map((r, a) => `${a === 0 ? 'M' : 'L'}${x(a + 0.5)},${H - (r / maxReward) * H}`).join('');
  return (
    <figure className="multiple">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`final policy of ${title} over ${K} bins`}>
        {probs.map((p, a) => (
          <rect key={a} x={x(a)} y={y(p)} width={Math.max(0.5, W / K - 0.3)} height={H - y(p)} fill={colour} />
        ))}
        <path d={outline} fill="none" stroke="#222" strokeWidth={1} />
        <path d={rewardPath} fill="none" stroke="#888" strokeDasharray="3 2" strokeWidth={1} />
      </svg>
    </figure>
  );
}
