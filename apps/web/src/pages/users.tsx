import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useDeferredValue, useEffect, useId, useState } from "react";
import { Link } from "wouter";
import { useUser } from "../auth/use-session.js";
import { ConfirmDialog } from "../components/confirm-dialog.js";
import { Loading } from "../components/loading.js";
import { ErrorNotice, StatusNotice } from "../components/notice.js";
import { Pager } from "../components/pager.js";
import { labelFor, useI18n } from "../i18n/i18n.js";
import { errorText } from "../lib/errors.js";
import { type User, useTRPC } from "../lib/trpc.js";
import { useDocumentTitle } from "../lib/use-document-title.js";

const PAGE_SIZE = 20;

/** A message handed over by the add-user page through the history entry. */
function readFlash(): string | null {
  const state = window.history.state as { created?: unknown } | null;
  return typeof state?.created === "string" ? state.created : null;
}

/** The history entry keeps its state across reloads: once shown, the message is dropped from it. */
function dropFlash(): void {
  const { created: _, ...rest } = (window.history.state ?? {}) as Record<string, unknown>;
  window.history.replaceState(rest, "");
}

export default function UsersPage() {
  const { t, dateTime } = useI18n();
  useDocumentTitle(t.users.title);
  const me = useUser();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const searchId = useId();
  const [search, setSearch] = useState("");
  const [offset, setOffset] = useState(0);
  const deferredSearch = useDeferredValue(search.trim());
  const [pendingDelete, setPendingDelete] = useState<User | null>(null);
  const [flash, setFlash] = useState<string | null>(() => {
    const created = readFlash();
    return created ? t.users.createdFlash(created) : null;
  });
  useEffect(dropFlash, []);

  const users = useQuery({
    ...trpc.users.list.queryOptions({
      limit: PAGE_SIZE,
      offset,
      search: deferredSearch || undefined,
    }),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation(
    trpc.users.delete.mutationOptions({
      onSuccess(_, input) {
        const gone = users.data?.users.find((u) => u.id === input.id);
        setFlash(t.users.deleted(gone?.username ?? String(input.id)));
        setPendingDelete(null);
        void queryClient.invalidateQueries({ queryKey: trpc.users.list.pathKey() });
      },
      onError: () => setPendingDelete(null),
    }),
  );

  const total = users.data?.total ?? 0;
  return (
    <div className="page">
      <h1>{t.users.title}</h1>
      {flash ? <StatusNotice>{flash}</StatusNotice> : null}
      {remove.isError ? <ErrorNotice>{errorText(remove.error, t)}</ErrorNotice> : null}
      <div className="toolbar">
        <div className="field">
          <label htmlFor={searchId}>{t.users.search}</label>
          <input
            id={searchId}
            type="search"
            maxLength={64}
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              setOffset(0);
            }}
          />
        </div>
        <Link href="/users/new" className="button primary">
          {t.users.add}
        </Link>
      </div>
      {users.isPending ? <Loading /> : null}
      {users.isError ? <ErrorNotice>{errorText(users.error, t)}</ErrorNotice> : null}
      {users.data ? (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">{t.users.title}</caption>
            <thead>
              <tr>
                <th scope="col">{t.users.username}</th>
                <th scope="col">{t.users.email}</th>
                <th scope="col">{t.users.role}</th>
                <th scope="col">{t.users.created}</th>
                <th scope="col">{t.users.actions}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.users.map((user) => (
                <tr key={user.id}>
                  <th scope="row">{user.username}</th>
                  <td>{user.email ?? "—"}</td>
                  <td>{labelFor(t.users.roles, user.role)}</td>
                  <td>
                    <time dateTime={user.createdAt}>{dateTime(user.createdAt)}</time>
                  </td>
                  <td>
                    {user.id === me.id ? (
                      <span className="help">({t.users.you})</span>
                    ) : (
                      <button
                        type="button"
                        className="danger"
                        aria-label={`${t.users.delete} ${user.username}`}
                        onClick={() => setPendingDelete(user)}
                      >
                        {t.users.delete}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {users.data?.users.length === 0 ? <p>{t.users.none}</p> : null}
      <Pager
        label={t.users.title}
        page={Math.floor(offset / PAGE_SIZE) + 1}
        pages={Math.ceil(total / PAGE_SIZE)}
        hasPrevious={offset > 0}
        hasNext={offset + PAGE_SIZE < total}
        onPrevious={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
        onNext={() => setOffset(offset + PAGE_SIZE)}
      />
      <ConfirmDialog
        open={pendingDelete !== null}
        title={t.users.confirmTitle}
        text={pendingDelete ? t.users.confirmText(pendingDelete.username) : ""}
        confirmLabel={t.users.delete}
        cancelLabel={t.users.cancel}
        busy={remove.isPending}
        onConfirm={() => pendingDelete && remove.mutate({ id: pendingDelete.id })}
        onCancel={() => setPendingDelete(null)}
      />
    </div>
  );
}
