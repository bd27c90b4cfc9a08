import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useRef, useState } from "react";
import { useLocation } from "wouter";
import { ErrorNotice } from "../../components/notice.js";
import { useI18n } from "../../i18n/i18n.js";
import { answerLost, errorText } from "../../lib/errors.js";
import { checkoutKey, newIdempotencyKey } from "../../lib/idempotency.js";
import { type Product, useTRPC } from "../../lib/trpc.js";

const MAX_QUANTITY = 100;

/** The quantity typed, or null while it is not a whole number from 1 to MAX_QUANTITY. */
function parseQuantity(text: string): number | null {
  if (!/^\d{1,3}$/.test(text.trim())) return null;
  const value = Number(text);
  return value >= 1 && value <= MAX_QUANTITY ? value : null;
}

/** One product: its price, a quantity and a Pay button that starts a checkout. */
export function ProductCard({ product }: { product: Product }) {
  const { t, money } = useI18n();
  const trpc = useTRPC();
  const [, navigate] = useLocation();
  // The text as typed: forcing a number on every keystroke turned a cleared "1" back into
  // "1", so typing 5 after it gave 15.
  const [quantityText, setQuantityText] = useState("1");
  const quantity = parseQuantity(quantityText);
  const id = useId();
  // The key of the order being placed: pressing Pay again after its answer was lost (a
  // timeout, the network) finds the order the first press placed instead of a second one.
  const placing = useRef<{ quantity: number; key: string } | null>(null);
  const create = useMutation(
    trpc.orders.create.mutationOptions({
      onError(error) {
        if (!answerLost(error)) placing.current = null;
      },
      onSuccess(order) {
        placing.current = null;
        // Pressing Pay starts the checkout: its key says so to the checkout page.
        checkoutKey(order.id);
        navigate(`/checkout/${order.id}`);
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (quantity === null) return;
    if (placing.current?.quantity !== quantity) {
      placing.current = { quantity, key: newIdempotencyKey() };
    }
    create.mutate({
      items: [{ productId: product.id, quantity }],
      idempotencyKey: placing.current.key,
    });
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
            value={quantityText}
            aria-invalid={quantity === null}
            aria-describedby={quantity === null ? `${id}-qty-help` : undefined}
            onChange={(event) => setQuantityText(event.target.value)}
          />
        </div>
        {quantity === null ? (
          <p id={`${id}-qty-help`} className="help">
            {t.home.quantityRange(MAX_QUANTITY)}
          </p>
        ) : (
          <p className="total">
            {t.home.total}
            {t.app.colon}
            <strong>{money(product.priceCents * quantity)}</strong>
          </p>
        )}
        <button
          type="submit"
          className="primary"
          disabled={create.isPending || quantity === null}
          aria-busy={create.isPending}
        >
          {t.home.pay}
        </button>
      </form>
      {create.isError ? <ErrorNotice>{errorText(create.error, t)}</ErrorNotice> : null}
    </article>
  );
}
