import type { UsersDb } from "../db/index.js";
import type { Role, UserColumnsRow } from "./users.js";

// The lookups every login, refresh and signed-in request makes, as SQL text
// prepared once per database (see UsersDb.$prepareRead). The column list is
// spelled out so the password hash is read only where the login needs it.
const ACCOUNT_COLUMNS = `id, username, email, role, disabled, created_at as createdAt,
  updated_at as updatedAt, password_changed_at as passwordChangedAt, session_stamp as sessionStamp`;

/** A row as SQLite gives it: booleans are 0 or 1. */
type StoredAccount = Omit<UserColumnsRow, "disabled"> & {
  disabled: number;
  passwordChangedAt: number;
  sessionStamp: number;
};

/** An account as {@link findAccountRow} and {@link findCredentialRow} return it. */
export type AccountRow = UserColumnsRow & { passwordChangedAt: number; sessionStamp: number };

function statementsOf(db: UsersDb) {
  return {
    byId: db.$prepareRead<StoredAccount>(`select ${ACCOUNT_COLUMNS} from users where id = :id`),
    // lower(username) matches the unique index, so this is one index seek.
    byUsername: db.$prepareRead<StoredAccount & { passwordHash: string }>(
      `select ${ACCOUNT_COLUMNS}, password_hash as passwordHash
       from users where lower(username) = lower(:username)`,
    ),
  };
}

const prepared = new WeakMap<UsersDb, ReturnType<typeof statementsOf>>();

function statements(db: UsersDb) {
  let found = prepared.get(db);
  if (!found) {
    found = statementsOf(db);
    prepared.set(db, found);
  }
  return found;
}

function toAccountRow<T extends StoredAccount>(row: T): Omit<T, "disabled" | "role"> & AccountRow {
  return { ...row, role: row.role as Role, disabled: row.disabled !== 0 };
}

/** The account with this id, or undefined. */
export async function findAccountRow(db: UsersDb, id: number): Promise<AccountRow | undefined> {
  const row = await statements(db).byId.get({ id });
  return row && toAccountRow(row);
}

/** The account with this username (any case) and its password hash, or undefined. */
export async function findCredentialRow(
  db: UsersDb,
  username: string,
): Promise<(AccountRow & { passwordHash: string }) | undefined> {
  const row = await statements(db).byUsername.get({ username });
  return row && toAccountRow(row);
}
