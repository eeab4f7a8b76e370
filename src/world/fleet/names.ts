import type { Random } from '../seed/random.js';
import type { SeedUser } from './types.js';

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
/** W&B users of the teams (the GENIAC fleet's researchers): usernames like 'kenji-sato'. */
const GIVEN_NAMES = [
  'akira',
  'aoi',
  'ayumi',
  'daichi',
  'emi',
  'haruto',
  'hiroshi',
  'kaori',
  'kazuki',
  'kenji',
  'makoto',
  'mei',
  'naoko',
  'ren',
  'rina',
  'riku',
  'sakura',
  'satoshi',
  'sho',
  'takumi',
  'tomoya',
  'yui',
  'yuki',
];
const FAMILY_NAMES = [
  'abe',
  'hayashi',
  'inoue',
  'ito',
  'kato',
  'kimura',
  'kobayashi',
  'matsumoto',
  'mori',
  'nakamura',
  'sasaki',
  'sato',
  'shimizu',
  'suzuki',
  'takahashi',
  'tanaka',
  'watanabe',
  'yamada',
  'yamamoto',
  'yoshida',
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

/**
 * `count` distinct W&B users, e.g. `{ username: 'kenji-sato', name: 'Kenji Sato' }`. A username always
 * has the same name, so one person showing up in two teams stays one user.
 */
export function teamUsers(random: Random, count: number): SeedUser[] {
  const users = new Map<string, SeedUser>();
  while (users.size < count) {
    const given = random.pick(GIVEN_NAMES);
    const family = random.pick(FAMILY_NAMES);
    users.set(`${given}-${family}`, {
      username: `${given}-${family}`,
      name: `${capital(given)} ${capital(family)}`,
    });
  }
  return [...users.values()];
}

function capital(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
