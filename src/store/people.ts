import { phoneWrittenAs, whatsappIdOf } from "../domain/phone.js";
import { nameKey, type RosterEntry } from "../domain/roster.js";
import type { Person, Role } from "../domain/message.js";
import { sql } from "kysely";
import type { Archive } from "./open-archive.js";

type PersonRow = {
  id: number;
  whatsapp_id: string | null;
  phone: string | null;
  name: string;
  designation: string | null;
  roles: string;
};

function toPerson(row: PersonRow): Person {
  return {
    id: row.id,
    whatsappId: row.whatsapp_id,
    phone: row.phone,
    name: row.name,
    designation: row.designation,
    roles: row.roles ? (row.roles.split(";") as Role[]) : [],
  };
}

const PERSON_COLUMNS = ["id", "whatsapp_id", "phone", "name", "designation", "roles"] as const;

function findPersonByPhone(archive: Archive, phone: string): Person | undefined {
  const row = archive.get(archive.db.selectFrom("people").select(PERSON_COLUMNS).where("phone", "=", phone));
  return row && toPerson(row);
}

export function findPersonByName(archive: Archive, name: string): Person | undefined {
  const row = archive.get(
    archive.db
      .selectFrom("person_names as n")
      .innerJoin("people as p", "p.id", "n.person_id")
      .select(PERSON_COLUMNS.map((column) => `p.${column}` as const))
      .where("n.name_key", "=", nameKey(name)),
  );
  return row && toPerson(row);
}

/** Remembers that `person` was seen under `name`, unless that name already belongs to someone. */
function rememberName(archive: Archive, personId: number, name: string): void {
  const key = nameKey(name);
  if (!key) return;
  archive.run(archive.db.insertInto("person_names").values({ name_key: key, person_id: personId, name }).onConflict((c) => c.doNothing()));
}

/**
 * The person behind a sender as a chat export writes it: a number (`+880 1711-000013`) is matched
 * by phone, a saved name by the roster's and earlier-seen names; someone new is added.
 */
export function resolveAuthor(archive: Archive, author: string, now: number): Person {
  const phone = phoneWrittenAs(author);
  if (phone) return findPersonByPhone(archive, phone) ?? createPerson(archive, { phone, name: author }, now);
  const known = findPersonByName(archive, author);
  if (known) return known;
  return createPerson(archive, { phone: null, name: author }, now);
}

function createPerson(archive: Archive, person: { phone: string | null; name: string }, now: number): Person {
  const whatsappId = person.phone ? whatsappIdOf(person.phone) : null;
  const { lastInsertRowid: id } = archive.run(
    archive.db.insertInto("people").values({
      whatsapp_id: whatsappId,
      phone: person.phone,
      name: person.name,
      designation: null,
      roles: "",
      in_roster: 0,
      created_at: now,
      updated_at: now,
    }),
  );
  rememberName(archive, id, person.name);
  return { id, whatsappId, phone: person.phone, name: person.name, designation: null, roles: [] };
}

/**
 * Loads roster entries: a person already known by phone is updated; one known only by a name the
 * roster uses gets the roster's phone (so earlier imports stay theirs); anyone else is added. A field
 * the roster leaves empty keeps what was known; a new person without a role is an officer.
 */
export function applyRoster(archive: Archive, entries: RosterEntry[], now: number): { added: number; updated: number } {
  let added = 0;
  let updated = 0;
  for (const entry of entries) {
    const byPhone = findPersonByPhone(archive, entry.phone);
    const byName = byPhone || !entry.name ? undefined : findPersonByName(archive, entry.name);
    const existing = byPhone ?? (byName && byName.phone === null ? byName : undefined);
    const name = entry.name ?? existing?.name ?? entry.phone;
    const values = {
      phone: entry.phone,
      whatsapp_id: whatsappIdOf(entry.phone),
      name,
      designation: entry.designation ?? existing?.designation ?? null,
      roles: (entry.roles ?? (existing?.roles.length ? existing.roles : ["officer"])).join(";"),
      in_roster: 1,
      updated_at: now,
    };
    let id: number;
    if (existing) {
      archive.run(archive.db.updateTable("people").set(values).where("id", "=", existing.id));
      id = existing.id;
      updated++;
    } else {
      id = archive.run(archive.db.insertInto("people").values({ ...values, created_at: now })).lastInsertRowid;
      added++;
    }
    // The roster's name is authoritative: exports that show this name mean this person.
    if (entry.name) {
      archive.run(
        archive.db
          .insertInto("person_names")
          .values({ name_key: nameKey(entry.name), person_id: id, name: entry.name })
          .onConflict((c) => c.column("name_key").doUpdateSet({ person_id: id, name: entry.name! })),
      );
    }
  }
  return { added, updated };
}

/** People whose name, a name they were seen under, or phone matches `who` (for --from). */
export function findPeople(archive: Archive, who: string): Person[] {
  const phone = phoneWrittenAs(who);
  if (phone) {
    const person = findPersonByPhone(archive, phone);
    return person ? [person] : [];
  }
  const exact = findPersonByName(archive, who);
  if (exact) return [exact];
  const pattern = `%${nameKey(who).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = archive.all(
    archive.db
      .selectFrom("people as p")
      .select(PERSON_COLUMNS.map((column) => `p.${column}` as const))
      .where(({ or }) =>
        or([
          sql<boolean>`replace(lower(p.name), ' ', '') LIKE ${pattern} ESCAPE '\\'`,
          sql<boolean>`EXISTS (SELECT 1 FROM person_names n WHERE n.person_id = p.id AND n.name_key LIKE ${pattern} ESCAPE '\\')`,
        ]),
      ),
  );
  return rows.map(toPerson);
}

/** The person a live sender is, by WhatsApp id or phone; never by name, which anyone can give themselves. */
export function findLivePerson(archive: Archive, live: { whatsappId: string; phone: string | null }): Person | undefined {
  const byId = archive.get(archive.db.selectFrom("people").select(PERSON_COLUMNS).where("whatsapp_id", "=", live.whatsappId));
  return (byId && toPerson(byId)) ?? (live.phone ? findPersonByPhone(archive, live.phone) : undefined);
}

/**
 * The person behind a live sender: known by WhatsApp id or phone, else someone new. A name they are seen
 * under is remembered, but never makes them someone else: a display name is the sender's own choice.
 */
export function resolveLivePerson(archive: Archive, live: { whatsappId: string; phone: string | null; name: string }, now: number): Person {
  const known = findLivePerson(archive, live);
  if (known) {
    if (known.whatsappId === null) {
      archive.run(archive.db.updateTable("people").set({ whatsapp_id: live.whatsappId, updated_at: now }).where("id", "=", known.id));
      known.whatsappId = live.whatsappId;
    }
    rememberName(archive, known.id, live.name);
    return known;
  }
  const { lastInsertRowid: id } = archive.run(
    archive.db.insertInto("people").values({
      whatsapp_id: live.whatsappId,
      phone: live.phone,
      name: live.name || live.phone || live.whatsappId,
      designation: null,
      roles: "",
      in_roster: 0,
      created_at: now,
      updated_at: now,
    }),
  );
  rememberName(archive, id, live.name);
  return { id, whatsappId: live.whatsappId, phone: live.phone, name: live.name || live.phone || live.whatsappId, designation: null, roles: [] };
}
