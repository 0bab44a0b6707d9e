// Script-injection vectors written for NewsLens's page tests: each, if it ever ran, would set
// window.__xss to its number. Built from templates (script tags, event-handler attributes,
// javascript: and data: URLs, SVG and MathML, breaking out of attributes and elements) in
// plain, upper-case, mixed-case and entity-encoded spellings.
const templates = [
  (n) => `<script>window.__xss=${n}</script>`,
  (n) => `<script src="data:text/javascript,window.__xss=${n}"></script>`,
  (n) => `<img src=x onerror="window.__xss=${n}">`,
  (n) => `<img src="x" onerror=window.__xss=${n}>`,
  (n) => `<svg onload="window.__xss=${n}">`,
  (n) => `<svg><script>window.__xss=${n}</script></svg>`,
  (n) => `<svg><animate onbegin="window.__xss=${n}" attributeName=x dur=1s>`,
  (n) => `<a href="javascript:window.__xss=${n}">read more</a>`,
  (n) => `<a href="java&#x09;script:window.__xss=${n}">tab</a>`,
  (n) => `<a href="&#106;avascript:window.__xss=${n}">encoded</a>`,
  (n) => `<iframe src="javascript:parent.__xss=${n}"></iframe>`,
  (n) => `<iframe srcdoc="<script>parent.__xss=${n}</script>"></iframe>`,
  (n) => `<iframe src="data:text/html,<script>parent.__xss=${n}</script>"></iframe>`,
  (n) => `<object data="data:text/html,<script>parent.__xss=${n}</script>"></object>`,
  (n) => `<embed src="javascript:window.__xss=${n}">`,
  (n) => `<body onload="window.__xss=${n}">`,
  (n) => `<details open ontoggle="window.__xss=${n}">`,
  (n) => `<input autofocus onfocus="window.__xss=${n}">`,
  (n) => `<video><source onerror="window.__xss=${n}"></video>`,
  (n) => `<audio src=x onerror="window.__xss=${n}">`,
  (n) => `<marquee onstart="window.__xss=${n}">news</marquee>`,
  (n) => `<div style="background:url(javascript:window.__xss=${n})">`,
  (n) => `<meta http-equiv="refresh" content="0;url=javascript:window.__xss=${n}">`,
  (n) => `<form action="javascript:window.__xss=${n}"><button>go</button></form>`,
  (n) => `"><script>window.__xss=${n}</script>`,
  (n) => `'><img src=x onerror=window.__xss=${n}>`,
  (n) => `</title><script>window.__xss=${n}</script>`,
  (n) => `</textarea><script>window.__xss=${n}</script>`,
  (n) => `<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=${n}>`,
  (n) => `<noscript><p title="</noscript><img src=x onerror=window.__xss=${n}>">`,
  (n) => `<template><img src=x onerror=window.__xss=${n}></template>`,
  (n) => `\${window.__xss=${n}} {{constructor.constructor('window.__xss=${n}')()}}`,
];
const mixed = (s) => s.replace(/[a-z]/g, (c, i) => (i % 2 ? c.toUpperCase() : c));
const entities = (s) => s.replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const numeric = (s) => s.replace(/</g, '&#60;').replace(/>/g, '&#x3e;');
export const spellings = [(s) => s, (s) => s.toUpperCase(), mixed, entities, numeric];

/** [{n, text}]: every template in every spelling, numbered from 1. */
export function vectors() {
  const out = [];
  for (const t of templates) {
    for (const spell of spellings) {
      const n = out.length + 1;
      out.push({ n, text: spell(t(n)) });
    }
  }
  return out;
}
