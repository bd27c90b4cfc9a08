import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Redirect, useSearch } from "wouter";
import { useSession, useSessionState } from "../auth/use-session.js";
import { Field } from "../components/field.js";
import { ErrorNotice, StatusNotice } from "../components/notice.js";
import { useI18n } from "../i18n/i18n.js";
import { errorInfo, errorText } from "../lib/errors.js";
import { safeNext } from "../lib/safe-next.js";
import { useDocumentTitle } from "../lib/use-document-title.js";

export function LoginPage() {
  const { t } = useI18n();
  useDocumentTitle(t.login.title);
  const session = useSession();
  const state = useSessionState();
  const search = useSearch();
  const [error, setError] = useState<string | null>(null);
  const [blockedUntil, setBlockedUntil] = useState<number | null>(null);

  useEffect(() => {
    if (blockedUntil === null) return;
    const timer = setTimeout(() => setBlockedUntil(null), Math.max(0, blockedUntil - Date.now()));
    return () => clearTimeout(timer);
  }, [blockedUntil]);

  const login = useMutation({
    mutationFn: (input: { username: string; password: string }) =>
      session.login(input.username, input.password),
    onMutate: () => setError(null),
    onError(failure) {
      const info = errorInfo(failure);
      if (info.code === "TOO_MANY_REQUESTS") {
        const wait = info.retryAfterSeconds ?? 30;
        setBlockedUntil(Date.now() + wait * 1000);
        setError(t.login.throttled(wait));
        return;
      }
      setError(
        errorText(failure, t, { UNAUTHORIZED: t.login.invalid, FORBIDDEN: t.login.invalid }),
      );
    },
  });

  if (state.status === "signedIn") return <Redirect to={safeNext(search)} replace />;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    login.mutate({
      username: String(form.get("username")),
      password: String(form.get("password")),
    });
  }

  const reason = state.status === "signedOut" ? state.reason : null;
  return (
    <section className="page narrow">
      <h1>{t.login.title}</h1>
      {reason && !error ? <StatusNotice>{t.sessionEnded[reason]}</StatusNotice> : null}
      {error ? <ErrorNotice>{error}</ErrorNotice> : null}
      <form className="form" onSubmit={submit}>
        <Field
          label={t.login.username}
          name="username"
          autoComplete="username"
          required
          maxLength={64}
          autoCapitalize="none"
          spellCheck={false}
        />
        <Field
          label={t.login.password}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          maxLength={1024}
        />
        <button
          type="submit"
          className="primary"
          disabled={login.isPending || blockedUntil !== null}
          aria-busy={login.isPending}
        >
          {t.login.submit}
        </button>
      </form>
    </section>
  );
}
