import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId } from "react";
import { Link, useLocation } from "wouter";
import { Field } from "../components/field.js";
import { ErrorNotice } from "../components/notice.js";
import { useI18n } from "../i18n/i18n.js";
import { errorText } from "../lib/errors.js";
import { useTRPC } from "../lib/trpc.js";
import { useDocumentTitle } from "../lib/use-document-title.js";

export default function AddUserPage() {
  const { t } = useI18n();
  useDocumentTitle(t.addUser.title);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const roleId = useId();
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess(user) {
        void queryClient.invalidateQueries({ queryKey: trpc.users.list.pathKey() });
        navigate("/users", { state: { created: user.username } });
      },
    }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    create.mutate({
      username: String(form.get("username")),
      password: String(form.get("password")),
      email: email || undefined,
      role: form.get("role") === "admin" ? "admin" : "user",
    });
  }

  return (
    <section className="page narrow">
      <h1>{t.addUser.title}</h1>
      {create.isError ? (
        <ErrorNotice>{errorText(create.error, t, { CONFLICT: t.addUser.taken })}</ErrorNotice>
      ) : null}
      <form className="form" onSubmit={submit}>
        <Field
          label={t.addUser.username}
          name="username"
          help={t.addUser.usernameHelp}
          required
          minLength={3}
          maxLength={32}
          pattern="[A-Za-z0-9_.\-]+"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
        />
        <Field
          label={t.addUser.password}
          name="password"
          type="password"
          help={t.addUser.passwordHelp}
          required
          minLength={8}
          maxLength={128}
          autoComplete="new-password"
        />
        <Field
          label={t.addUser.email}
          name="email"
          type="email"
          maxLength={254}
          autoComplete="off"
        />
        <div className="field">
          <label htmlFor={roleId}>{t.addUser.role}</label>
          <select id={roleId} name="role" defaultValue="user">
            <option value="user">{t.users.roles.user}</option>
            <option value="admin">{t.users.roles.admin}</option>
          </select>
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={create.isPending}>
            {t.addUser.submit}
          </button>
          <Link href="/users">{t.addUser.back}</Link>
        </div>
      </form>
    </section>
  );
}
