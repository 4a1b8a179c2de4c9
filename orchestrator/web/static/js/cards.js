// Product and offer cards of a concierge reply, from the facts the turn's reply carries.
//
// `reply.products`: one per sku of `reply.skus`, in order:
//   {sku, title, brand, price_cents, available, low_stock, fulfilment: {detail} | null,
//    reasons: [text], sponsored}
// `reply.offers`: the turn's approved quotes (as the policy checker left them):
//   {sku, title, offer, price_cents, list_price_cents, expires_at, disclosure}
// `reply.currency_symbol`: how prices are written.
// Only what the reply carries is shown; a card is never filled in from anywhere else.

import { el, money, timeElement } from "./dom.js";

const OFFERS = {
  percent_off: "Price cut for you",
  free_shipping: "Free shipping for you",
  bundle: "Bundle offer",
  none: "No extra deal",
};

function availability(product) {
  if (typeof product.available !== "number") return null;
  if (product.available <= 0) return el("p", { className: "out-of-stock" }, "Out of stock");
  if (product.low_stock) {
    return el("p", { className: "low-stock" }, `Only ${product.available} left`);
  }
  return el("p", { className: "in-stock" }, `In stock (${product.available} available)`);
}

function offerLines(offer, symbol) {
  const list = offer.list_price_cents;
  const cut = typeof list === "number" && list > offer.price_cents;
  const percent = cut ? Math.round(((list - offer.price_cents) * 100) / list) : 0;
  return [
    el("p", { className: "deal" }, OFFERS[offer.offer] || offer.offer),
    el(
      "p",
      { className: "price" },
      money(offer.price_cents, symbol),
      cut ? el("span", { className: "was" }, ` (${percent}% off ${money(list, symbol)})`) : null,
    ),
    offer.expires_at ? el("p", {}, "Offer ends ", timeElement(offer.expires_at)) : null,
    offer.disclosure ? el("p", { className: "muted" }, offer.disclosure) : null,
  ];
}

function productCard(product, offer, symbol, key) {
  const titleId = `${key}-${product.sku}`;
  const reasons = (product.reasons || []).map((r) => el("li", {}, r));
  const card = { className: offer ? "card offer" : "card", "aria-labelledby": titleId };
  return el(
    "li",
    {},
    el(
      "article",
      { ...card, "data-sku": product.sku },
      el("h3", { id: titleId }, product.title || product.sku),
      product.brand ? el("p", { className: "muted" }, product.brand) : null,
      product.sponsored ? el("p", { className: "badge" }, "Sponsored") : null,
      typeof product.price_cents === "number"
        ? el("p", { className: "price" }, money(product.price_cents, symbol))
        : null,
      availability(product),
      product.fulfilment?.detail ? el("p", {}, product.fulfilment.detail) : null,
      reasons.length ? el("ul", { "aria-label": "Why it is suggested" }, reasons) : null,
      offer ? offerLines(offer, symbol) : null,
    ),
  );
}

function offerCard(offer, symbol, key) {
  const titleId = `${key}-offer-${offer.sku}`;
  return el(
    "li",
    {},
    el(
      "article",
      { className: "card offer", "aria-labelledby": titleId, "data-sku": offer.sku },
      el("h3", { id: titleId }, offer.title || offer.sku),
      offerLines(offer, symbol),
    ),
  );
}

/** The cards of a reply (products, then offers on products not among them), or null. */
export function replyCards(reply, key) {
  const products = Array.isArray(reply?.products) ? reply.products : [];
  const offers = Array.isArray(reply?.offers) ? reply.offers : [];
  if (!products.length && !offers.length) return null;
  const symbol = reply.currency_symbol || "";
  const bySku = new Map(offers.map((o) => [o.sku, o]));
  const items = products.map((p) => productCard(p, bySku.get(p.sku), symbol, key));
  const shown = new Set(products.map((p) => p.sku));
  items.push(...offers.filter((o) => !shown.has(o.sku)).map((o) => offerCard(o, symbol, key)));
  return el("ul", { className: "cards", "aria-label": "Products in this answer" }, items);
}
