import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useLocation } from "wouter";
import { ErrorNotice } from "../../components/notice.js";
import { useI18n } from "../../i18n/i18n.js";
import { errorText } from "../../lib/errors.js";
import { checkoutKey } from "../../lib/idempotency.js";
import { type Product, useTRPC } from "../../lib/trpc.js";

const MAX_QUANTITY = 100;

/** One product: its price, a quantity and a Pay button that starts a checkout. */
export function ProductCard({ product }: { product: Product }) {
  const { t, money } = useI18n();
  const trpc = useTRPC();
  const [, navigate] = useLocation();
  const [quantity, setQuantity] = useState(1);
  const id = useId();
  const create = useMutation(
    trpc.orders.create.mutationOptions({
      onSuccess(order) {
        // Pressing Pay starts the checkout: its key says so to the checkout page.
        checkoutKey(order.id);
        navigate(`/checkout/${order.id}`);
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ items: [{ productId: product.id, quantity }] });
  }

  return (
    <article className="card product" aria-labelledby={`${id}-name`}>
      <h3 id={`${id}-name`}>{product.name}</h3>
      {product.description ? <p>{product.description}</p> : null}
      <p className="price">
        <span className="sr-only">
          {t.home.price}
          {t.app.colon}
        </span>
        {money(product.priceCents)}
      </p>
      <form className="buy" onSubmit={submit}>
        <div className="field inline">
          <label htmlFor={`${id}-qty`}>{t.home.quantity}</label>
          <input
            id={`${id}-qty`}
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_QUANTITY}
            value={quantity}
            onChange={(event) =>
              setQuantity(
                Math.min(MAX_QUANTITY, Math.max(1, Math.trunc(Number(event.target.value) || 1))),
              )
            }
          />
        </div>
        <p className="total">
          {t.home.total}
          {t.app.colon}
          <strong>{money(product.priceCents * quantity)}</strong>
        </p>
        <button
          type="submit"
          className="primary"
          disabled={create.isPending}
          aria-busy={create.isPending}
        >
          {t.home.pay}
        </button>
      </form>
      {create.isError ? <ErrorNotice>{errorText(create.error, t)}</ErrorNotice> : null}
    </article>
  );
}
