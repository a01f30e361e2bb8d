import { cuePattern, cueText, isQuestion } from "./cue-text.js";
import { type CueMatch, findCues, type Lexicon } from "./lexicon.js";
import type { MessageType } from "./message.js";
import { type Deadline, readDeadlineInCueText } from "./read-deadline.js";

export interface DirectiveDetection {
  directive: boolean;
  /** The sum of the cues' weights; a directive from the lexicon's threshold up. */
  score: number;
  /** 0–1: how sure the score is, for people reading it (0.5 at the threshold). */
  confidence: number;
  /** Which cues fired and on what words ("obligation: পাঠাতে হবে"), the reason shown to record keepers. */
  cues: string[];
  urgent: boolean;
  /** A decision ("সিদ্ধান্ত: …"), which counts as a directive. */
  decision: boolean;
  deadline: Deadline | null;
}

export interface MessageToDetect {
  body: string;
  type: MessageType | string;
  at: number;
  forwarded: boolean;
  /** The names of the people it @mentions, as the body writes them after the @. */
  mentions: string[];
}

// Names of lexicon groups the detector gives a meaning beyond their weight.
const URGENCY = "urgency";
const DECISION = "decision";

const NUMBERED_LINE = cuePattern(String.raw`(?:^|\n)\s*(?:\d{1,2}|[কখগঘঙচছজ]|[a-h]|[ivx]{1,4})\s*[.)।:-]\s*\S`, "gu");
const ANSWER_OPENING = cuePattern(String.raw`^(?:জি|জ্বি|জি না|হ্যাঁ|না|হুম|আচ্ছা|ঠিক আছে|ji|jee|na|hmm|hm|yes|no|ok|okay)\s*[,।.!]`, "u");
const SENTENCE_END = /[।?？!\n]|\.(?=\s|$)/g;

/**
 * Whether a message gives a directive: the lexicon's cues (obligation, request formulas, imperatives,
 * headings, decisions, addressees, urgency) add up against its negatives (reports of what was done,
 * prayers, greetings, news), and a deadline, a numbered list and @mentions add a little. A cue inside a
 * question, or inside a sentence that asks for prayers, counts for nothing: "রিপোর্ট কি পাঠাবেন?" asks.
 * Only the caller knows whether the sender is a superior; this reads the words.
 */
export function detectDirective(message: MessageToDetect, lexicon: Lexicon, zone: string): DirectiveDetection {
  const none: DirectiveDetection = { directive: false, score: 0, confidence: 0, cues: [], urgent: false, decision: false, deadline: null };
  if (message.type === "system" || message.type === "revoked") return none;
  // "@Partha Sarathi Das allocate …": whom it is for is not part of the sentence.
  const text = cueText(message.mentions.reduce((body, name) => body.split(`@${name}`).join(","), message.body)).trim();
  if (!/[\p{L}\p{N}]/u.test(text)) return none;
  const words = wordsOf(text, lexicon);
  const fired = [...words.fired];

  // Reading dates costs more than every cue together, and without a cue of weight 2 nothing is a
  // directive: most messages (greetings, answers) never need it.
  const deadline = words.strong || message.mentions.length > 0 ? readDeadlineInCueText(text, message.at, zone) : null;
  if (deadline) fired.push({ name: "deadline", weight: 1, text: deadline.text });
  if (message.mentions.length > 0) fired.push({ name: "mentions", weight: 1, text: `${message.mentions.length}` });
  if (message.forwarded) fired.push({ name: "forwarded", weight: -3, text: "" });

  const score = fired.reduce((sum, cue) => sum + cue.weight, 0);
  // "@Arif @Farhana list of damaged schools by tonight": named people and a limit are an order without a verb.
  const addressedWithLimit = message.mentions.length > 0 && deadline !== null;
  const directive = score >= lexicon.threshold && (fired.some((cue) => cue.weight >= 2) || addressedWithLimit);
  return {
    directive,
    score,
    confidence: Math.round(100 / (1 + Math.exp(-1.5 * (score - lexicon.threshold + 0.5)))) / 100,
    cues: fired.map((cue) => (cue.text ? `${cue.name}: ${cue.text}` : cue.name)),
    urgent: words.urgent,
    decision: words.decision,
    deadline,
  };
}

type FiredCue = { name: string; weight: number; text: string };
interface WordsReading {
  fired: FiredCue[];
  /** A cue of weight 2 or more fired. */
  strong: boolean;
  urgent: boolean;
  decision: boolean;
}

// Offices repeat themselves ("সকল ইউএনও …", "জি স্যার"): what a text says is worked out once per lexicon.
const readings = new WeakMap<Lexicon, Map<string, WordsReading>>();
const MEMO_LIMIT = 50_000;

/** What the words of a message say, whoever sent it and whenever: the cues that fired, sentence by sentence. */
function wordsOf(text: string, lexicon: Lexicon): WordsReading {
  let memo = readings.get(lexicon);
  if (!memo) readings.set(lexicon, (memo = new Map()));
  const known = memo.get(text);
  if (known) return known;

  const sentences = sentencesOf(text);
  const sentenceAt = (index: number) => sentences.find((sentence) => index >= sentence.start && index < sentence.end) ?? sentences[sentences.length - 1]!;
  const matches = findCues(lexicon, text);
  const cancelled = new Set(matches.filter((match) => match.group.cancelsSentence).map((match) => sentenceAt(match.index)));

  const best = new Map<string, CueMatch>();
  for (const match of matches) {
    if (match.group.cancelsSentence) continue;
    const sentence = sentenceAt(match.index);
    if (match.group.weight > 0 && (sentence.question || cancelled.has(sentence))) continue;
    if (!best.has(match.group.name)) best.set(match.group.name, match);
  }
  const fired: FiredCue[] = [...best.values()].map((match) => ({ name: match.group.name, weight: match.group.weight, text: match.text }));
  for (const match of matches.filter((m) => m.group.cancelsSentence)) {
    if (!fired.some((cue) => cue.name === match.group.name)) fired.push({ name: match.group.name, weight: match.group.weight, text: match.text });
  }
  const strong = fired.some((cue) => cue.weight >= 2);
  const listLines = text.match(NUMBERED_LINE)?.length ?? 0;
  if (listLines >= 2) fired.push({ name: "numbered-list", weight: 1, text: `${listLines}` });
  if (sentences.every((sentence) => sentence.question)) fired.push({ name: "question", weight: -2, text: "?" });
  // A message that opens by answering ("জি, …", "Na, …", "Hmm, …") answers someone's question; what
  // follows tells that one person how, and is no directive to the group.
  const answer = ANSWER_OPENING.exec(text);
  if (answer) fired.push({ name: "answer", weight: -9, text: answer[0].trim() });
  const reading = {
    fired,
    strong,
    // Urgency is said once for the whole message, even inside a question ("এখনই জানান ঘটনা কি।").
    urgent: matches.some((match) => match.group.name === URGENCY),
    decision: best.has(DECISION),
  };
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(text, reading);
  return reading;
}

interface Sentence {
  start: number;
  end: number;
  question: boolean;
}

function sentencesOf(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let start = 0;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    const words = text.slice(start, end).trim();
    if (/[\p{L}\p{N}]/u.test(words)) sentences.push({ start, end, question: isQuestion(words) });
    else if (sentences.length > 0) sentences[sentences.length - 1]!.end = end;
    start = end;
  }
  const rest = text.slice(start).trim();
  if (/[\p{L}\p{N}]/u.test(rest) || sentences.length === 0) sentences.push({ start, end: text.length, question: isQuestion(rest) });
  else sentences[sentences.length - 1]!.end = text.length;
  return sentences;
}
