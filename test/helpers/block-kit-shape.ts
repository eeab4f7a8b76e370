// Checks a webhook payload against the part of Block Kit the product uses, with Slack's published limits
// (https://api.slack.com/reference/block-kit/blocks): at most 50 blocks; header: plain_text of at most
// 150 characters; section text at most 3,000; context: 1 to 10 text elements; `verbatim` on mrkdwn text
// only (https://api.slack.com/reference/block-kit/composition-objects#text). Returns the problems found.

const BLOCK_KEYS: Record<string, readonly string[]> = {
  header: ['type', 'text'],
  section: ['type', 'text'],
  context: ['type', 'elements'],
  divider: ['type'],
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function textProblems(value: unknown, where: string, types: readonly string[], max: number): string[] {
  if (!isRecord(value)) return [`${where}: not a text object`];
  const problems: string[] = [];
  const keys = Object.keys(value).sort();
  // `verbatim` (a boolean) is allowed on mrkdwn only.
  const allowed =
    value.type === 'mrkdwn' && typeof value.verbatim === 'boolean' ? 'text,type,verbatim' : 'text,type';
  if (keys.join(',') !== allowed) problems.push(`${where}: keys ${keys.join(',')}`);
  if (!types.includes(String(value.type))) problems.push(`${where}: type ${String(value.type)}`);
  if (typeof value.text !== 'string' || value.text.length === 0) problems.push(`${where}: empty text`);
  else if (value.text.length > max) problems.push(`${where}: ${value.text.length} characters`);
  return problems;
}

export function blockKitProblems(payload: unknown): string[] {
  if (!isRecord(payload)) return ['payload: not an object'];
  const problems: string[] = [];
  if (typeof payload.text !== 'string' || payload.text.length === 0) problems.push('text: missing fallback');
  const blocks = payload.blocks;
  if (!Array.isArray(blocks) || blocks.length === 0) return [...problems, 'blocks: missing'];
  if (blocks.length > 50) problems.push(`blocks: ${blocks.length} blocks`);
  for (const [i, block] of blocks.entries()) {
    const where = `blocks[${i}]`;
    if (!isRecord(block)) {
      problems.push(`${where}: not an object`);
      continue;
    }
    const allowed = BLOCK_KEYS[String(block.type)];
    if (!allowed) {
      problems.push(`${where}: type ${String(block.type)}`);
      continue;
    }
    const extra = Object.keys(block).filter((k) => !allowed.includes(k));
    if (extra.length > 0) problems.push(`${where}: unknown keys ${extra.join(',')}`);
    if (block.type === 'header') problems.push(...textProblems(block.text, where, ['plain_text'], 150));
    if (block.type === 'section')
      problems.push(...textProblems(block.text, where, ['mrkdwn', 'plain_text'], 3000));
    if (block.type === 'context') {
      const elements = block.elements;
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10) {
        problems.push(`${where}: elements`);
        continue;
      }
      elements.forEach((e, j) => {
        problems.push(...textProblems(e, `${where}.elements[${j}]`, ['mrkdwn', 'plain_text'], 3000));
      });
    }
  }
  return problems;
}
