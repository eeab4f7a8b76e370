import type { Random } from '../seed/random.js';

const ADJECTIVES = [
  'amber',
  'bright',
  'calm',
  'dauntless',
  'eager',
  'fiery',
  'gentle',
  'hardy',
  'icy',
  'jolly',
  'keen',
  'lucky',
  'misty',
  'noble',
  'olive',
  'proud',
  'quiet',
  'rosy',
  'silver',
  'tidy',
  'usual',
  'vivid',
  'wise',
];
const NOUNS = [
  'sun',
  'river',
  'field',
  'cloud',
  'forest',
  'meadow',
  'wave',
  'pine',
  'star',
  'dream',
  'haze',
  'frost',
  'glade',
  'leaf',
  'moon',
  'night',
  'paper',
  'rain',
  'sky',
  'snow',
  'water',
  'wind',
  'yogurt',
];
export const PROJECT_WORDS = [
  'llm',
  'pretrain',
  'sft',
  'eval',
  'vision',
  'speech',
  'rlhf',
  'tokenizer',
  'moe',
  'distill',
  'retrieval',
  'agent',
  'embed',
  'ocr',
  'translate',
  'code',
  'math',
  'chat',
  'dpo',
  'bench',
];
export const RUN_TAGS = ['pretrain', 'sft', 'eval', 'baseline', 'ablation', 'dpo'];
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** W&B-style display name, e.g. 'fiery-sun-12'. */
export function displayName(random: Random, sequence: number): string {
  return `${random.pick(ADJECTIVES)}-${random.pick(NOUNS)}-${sequence}`;
}

/** An 8-character run id not in `taken` (W&B ids are unique per project; ours per team). */
export function runId(random: Random, taken: Set<string>): string {
  for (;;) {
    let id = '';
    for (let i = 0; i < 8; i++) id += ID_ALPHABET[random.int(0, ID_ALPHABET.length - 1)];
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

/** Ignore tags match case-insensitively, so planted ones vary their case. */
export function recased(random: Random, tag: string): string {
  const style = random.int(0, 2);
  if (style === 1) return tag.toUpperCase();
  if (style === 2) return tag.charAt(0).toUpperCase() + tag.slice(1);
  return tag;
}
