/** Tiny DOM helpers: the UI around the canvas is plain HTML, no framework needed for this much. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** Text content only: names and chat from other players are never parsed as HTML. */
export function text(s: string): Text {
  return document.createTextNode(s);
}
