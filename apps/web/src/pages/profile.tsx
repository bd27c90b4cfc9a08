import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useSession, useUser } from "../auth/use-session.js";
import { Field } from "../components/field.js";
import { Loading } from "../components/loading.js";
import { ErrorNotice, StatusNotice } from "../components/notice.js";
import { labelFor, useI18n } from "../i18n/i18n.js";
import { errorText } from "../lib/errors.js";
import { useTRPC } from "../lib/trpc.js";
import { useDocumentTitle } from "../lib/use-document-title.js";

function EmailForm({ id, email }: { id: number; email: string | null }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(
    trpc.users.update.mutationOptions({
      onSuccess: (user) => queryClient.setQueryData(trpc.users.me.queryKey(), user),
    }),
  );
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("email") ?? "").trim();
    update.mutate({ id, email: value || null });
  }
  return (
    <section className="card" aria-labelledby="email-title">
      <h2 id="email-title">{t.profile.emailTitle}</h2>
      {update.isSuccess ? <StatusNotice>{t.profile.emailSaved}</StatusNotice> : null}
      {update.isError ? <ErrorNotice>{errorText(update.error, t)}</ErrorNotice> : null}
      <form className="form" onSubmit={submit}>
        <Field
          label={t.profile.email}
          name="email"
          type="email"
          maxLength={254}
          defaultValue={email ?? ""}
          autoComplete="email"
        />
        <button type="submit" className="primary" disabled={update.isPending}>
          {t.profile.saveEmail}
        </button>
      </form>
    </section>
  );
}

function PasswordForm({ username }: { username: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const session = useSession();
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    ...trpc.users.changePassword.mutationOptions(),
    // A password change ends every session, this one included: log in again
    // with the new password so this tab carries on (and hands the new session to the others).
    onSuccess: (_, input) => session.login(username, input.newPassword),
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const newPassword = String(data.get("newPassword"));
    const same = newPassword === String(data.get("confirmPassword"));
    setMismatch(!same);
    if (!same) return;
    change.mutate(
      { currentPassword: String(data.get("currentPassword")), newPassword },
      { onSuccess: () => form.reset() },
    );
  }
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">{t.profile.passwordTitle}</h2>
      {change.isSuccess ? <StatusNotice>{t.profile.passwordChanged}</StatusNotice> : null}
      {mismatch ? <ErrorNotice>{t.profile.mismatch}</ErrorNotice> : null}
      {change.isError ? (
        <ErrorNotice>
          {errorText(change.error, t, { FORBIDDEN: t.profile.wrongPassword })}
        </ErrorNotice>
      ) : null}
      <form className="form" onSubmit={submit}>
        <Field
          label={t.profile.currentPassword}
          name="currentPassword"
          type="password"
          required
          maxLength={1024}
          autoComplete="current-password"
        />
        <Field
          label={t.profile.newPassword}
          name="newPassword"
          type="password"
          required
          minLength={8}
          maxLength={128}
          autoComplete="new-password"
        />
        <Field
          label={t.profile.confirmPassword}
          name="confirmPassword"
          type="password"
          required
          minLength={8}
          maxLength={128}
          autoComplete="new-password"
        />
        <button type="submit" className="primary" disabled={change.isPending}>
          {t.profile.changePassword}
        </button>
      </form>
    </section>
  );
}

/** The caller's live sessions, the one this tab uses marked, any other one to end. */
function SessionsCard() {
  const { t, dateTime } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.auth.sessions.queryOptions());
  const revoke = useMutation(
    trpc.auth.revokeSession.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.auth.sessions.queryKey() }),
    }),
  );
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t.profile.sessionsTitle}</h2>
      <p className="help">{t.profile.sessionsHelp}</p>
      {sessions.isPending ? <Loading /> : null}
      {sessions.isError ? <ErrorNotice>{errorText(sessions.error, t)}</ErrorNotice> : null}
      {revoke.isError ? <ErrorNotice>{errorText(revoke.error, t)}</ErrorNotice> : null}
      {revoke.isSuccess ? <StatusNotice>{t.profile.sessionEnded}</StatusNotice> : null}
      {sessions.data ? (
        <ul className="sessions">
          {sessions.data.sessions.map((session) => {
            const name = session.current ? t.profile.thisSession : t.profile.otherSession;
            return (
              <li key={session.id} aria-label={name}>
                <div className="session-head">
                  <strong>{name}</strong>
                  <span className="device" title={session.userAgent ?? undefined}>
                    {session.userAgent ?? t.profile.unknownDevice}
                  </span>
                </div>
                <div className="help">
                  {t.profile.sessionFacts(
                    dateTime(session.createdAt),
                    dateTime(session.lastUsedAt),
                    session.ipAddress ?? "?",
                  )}
                </div>
                {session.current ? null : (
                  <button
                    type="button"
                    onClick={() => revoke.mutate({ id: session.id })}
                    disabled={revoke.isPending}
                  >
                    {t.profile.endSession}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}

export default function ProfilePage() {
  const { t, dateTime } = useI18n();
  useDocumentTitle(t.profile.title);
  const user = useUser();
  const trpc = useTRPC();
  const me = useQuery(trpc.users.me.queryOptions());
  return (
    <div className="page narrow">
      <h1>{t.profile.title}</h1>
      {me.isPending ? <Loading /> : null}
      {me.isError ? <ErrorNotice>{errorText(me.error, t)}</ErrorNotice> : null}
      {me.data ? (
        <>
          <dl className="facts card">
            <dt>{t.profile.username}</dt>
            <dd>{me.data.username}</dd>
            <dt>{t.profile.role}</dt>
            <dd>{labelFor(t.users.roles, me.data.role)}</dd>
            <dt>{t.profile.memberSince}</dt>
            <dd>{dateTime(me.data.createdAt)}</dd>
          </dl>
          <EmailForm id={me.data.id} email={me.data.email} />
        </>
      ) : null}
      <PasswordForm username={user.username} />
      <SessionsCard />
    </div>
  );
}
