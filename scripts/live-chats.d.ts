import type { LiveChat, LiveEvent, LiveGroup, LivePerson } from "../src/domain/live-event.js";
import type { SyntheticPerson } from "./synthetic-chats.js";

export const ACCOUNT: LivePerson;
export interface LivePeople {
  roster: SyntheticPerson[];
  people: LivePerson[];
  byName: Map<string, LivePerson>;
}
export function livePeople(officers?: number): LivePeople;
export function liveGroups(count: number, roster: SyntheticPerson[], people: LivePerson[]): Array<LiveGroup & { chat: LiveChat }>;
export function groupTalk(group: LiveGroup, seed: number, count: number, start: number, people: LivePeople, options?: { reactions?: boolean }): LiveEvent[];
export function districtTalk(groups: LiveGroup[], seed: number, perGroup: number, start: number, people: LivePeople, options?: { reactions?: boolean }): LiveEvent[];
export function crashTalk(count: number, groupCount: number): { people: LivePeople; groups: Array<LiveGroup & { chat: LiveChat }>; stream: LiveEvent[] };
