// Small DOM helpers. Everything the gateway sends is set as text, never parsed as HTML.

/**
 * Creates an element: `el("button", {type: "button", class: "link", onclick}, "text", child)`.
 * Attributes whose value is null, undefined or false are left out; `on…` functions become
 * event listeners; `dataset` takes an object of data-* values.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (key === "dataset") {
      Object.assign(node.dataset, value);
    } else if (key === "class") {
      node.className = value;
    } else {
      node.setAttribute(key, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces every child of `node`. */
export function replaceChildren(node, ...children) {
  node.replaceChildren(
    ...children
      .flat()
      .filter((c) => c !== null && c !== undefined && c !== false)
      .map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))),
  );
}

/** Sets `textContent` only when it changed, so screen readers and layout are not disturbed. */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
