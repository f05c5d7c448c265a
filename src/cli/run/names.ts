/** Docker-like generated names ("eager-turing"), hyphenated because pod names are DNS-1123. */

const adjectives = [
  'admiring', 'adoring', 'affectionate', 'agitated', 'amazing', 'angry', 'awesome', 'beautiful', 'blissful',
  'bold', 'boring', 'brave', 'busy', 'charming', 'clever', 'compassionate', 'competent', 'confident', 'cool',
  'cranky', 'crazy', 'dazzling', 'determined', 'distracted', 'dreamy', 'eager', 'ecstatic', 'elastic',
  'elated', 'elegant', 'eloquent', 'epic', 'exciting', 'fervent', 'festive', 'flamboyant', 'focused',
  'friendly', 'frosty', 'funny', 'gallant', 'gifted', 'goofy', 'gracious', 'great', 'happy', 'hardcore',
  'heuristic', 'hopeful', 'hungry', 'infallible', 'inspiring', 'intelligent', 'interesting', 'jolly',
  'jovial', 'keen', 'kind', 'laughing', 'loving', 'lucid', 'magical', 'modest', 'musing', 'mystifying',
  'naughty', 'nervous', 'nice', 'nifty', 'nostalgic', 'objective', 'optimistic', 'peaceful', 'pedantic',
  'pensive', 'practical', 'priceless', 'quirky', 'quizzical', 'recursing', 'relaxed', 'reverent',
  'romantic', 'sad', 'serene', 'sharp', 'silly', 'sleepy', 'stoic', 'strange', 'stupefied', 'suspicious',
  'sweet', 'tender', 'thirsty', 'trusting', 'unruffled', 'upbeat', 'vibrant', 'vigilant', 'vigorous',
  'wizardly', 'wonderful', 'xenodochial', 'youthful', 'zealous', 'zen',
];

const surnames = [
  'albattani', 'allen', 'archimedes', 'ardinghelli', 'babbage', 'banach', 'bardeen', 'bartik', 'bassi',
  'bell', 'bhabha', 'blackwell', 'bohr', 'booth', 'borg', 'bose', 'brahmagupta', 'brattain', 'brown',
  'carson', 'cerf', 'chandrasekhar', 'curie', 'darwin', 'davinci', 'diffie', 'dijkstra', 'einstein',
  'elion', 'engelbart', 'euclid', 'euler', 'faraday', 'fermat', 'fermi', 'feynman', 'franklin', 'galileo',
  'gauss', 'goldberg', 'goodall', 'hamilton', 'hawking', 'heisenberg', 'hertz', 'hodgkin', 'hopper',
  'hypatia', 'jackson', 'jennings', 'johnson', 'kalam', 'kepler', 'knuth', 'lalande', 'lamarr', 'lamport',
  'leakey', 'lehmann', 'liskov', 'lovelace', 'lumiere', 'mayer', 'mccarthy', 'mcclintock', 'meitner',
  'mendel', 'mirzakhani', 'morse', 'napier', 'nash', 'newton', 'nobel', 'noether', 'noyce', 'pascal',
  'pasteur', 'payne', 'perlman', 'pike', 'poincare', 'ptolemy', 'raman', 'ramanujan', 'ritchie', 'rosalind',
  'sammet', 'shannon', 'shockley', 'sinoussi', 'stonebraker', 'swartz', 'tesla', 'thompson', 'torvalds',
  'turing', 'varahamihira', 'visvesvaraya', 'wilbur', 'wiles', 'williams', 'wing', 'wozniak', 'wright',
  'yalow', 'yonath',
];

/** A random "adjective-surname" name. */
export function generateName(random: () => number = Math.random): string {
  const pick = (list: readonly string[]): string => list[Math.floor(random() * list.length) % list.length]!;
  return `${pick(adjectives)}-${pick(surnames)}`;
}

/** The container name derived from a pod name: dots become '-', at most 63 characters. */
export function containerNameFor(podName: string): string {
  const n = podName.replace(/\./g, '-').slice(0, 63).replace(/-+$/, '');
  return n === '' ? 'main' : n;
}
