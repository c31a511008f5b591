// The page of `verbatim serve`: search the quote bank, a speaker, a document with its quotes
// highlighted, a remark across outlets. Plain ES module, no build step, no dependencies.
//
// Everything that comes from the API is untrusted text (quotes, titles, outlets, URLs, ids).
// The DOM is built with createElement / textContent only; a URL becomes an href only when it
// is http(s); ids are encodeURIComponent-ed into API paths and hash routes. The server's CSP
// allows no inline script or style, so styling is by class (and SVG geometry attributes).
//
// Routes (the hash, so links can be shared and back/forward work):
//   #/?q=&speaker=&outlet=&since=&until=&order=   search (no parameters: the latest quotes)
//   #/speaker/{id}    #/document/{percent-encoded id}    #/cluster/{id}

const SVG_NS = 'http://www.w3.org/2000/svg';
const SEARCH_FIELDS = ['q', 'speaker', 'outlet', 'since', 'until', 'order'];
const PAGE_SIZE = 20;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const PARTS = ['content', 'source', 'cue'];
const PART_LABEL = { source: 'Source', cue: 'Cue', content: 'Content' };
const VERDICTS = ['verbatim', 'edited', 'partial', 'paraphrase', 'not_found'];
// What each way of linking a speaker means, shown on hover (the API's speaker_link values).
const LINK_TITLE = {
  alias: "By the bank's alias file",
  exact: 'A full name, taken as it is',
  doc: 'A bare name, linked to the full name the document gives',
  bank: 'A bare name, linked to the only person of that name in the bank',
  role: 'A bare name shared by several people, linked by the office or title (Mr., Mrs.) the document gives it',
  pending: 'A bare name with no full name known yet',
  ambiguous: 'A bare name shared by several people: not linked',
};
const SETTING_LABEL = {
  overheard: 'overheard',
  statement: 'statement',
  interview: 'interview',
  social_media: 'social media',
  on_record: 'on the record',
};

const main = document.getElementById('main');

// ---------------------------------------------------------------------------------------------
// DOM helpers: the only way data reaches the page.

/** An element: `attrs` are properties we control (class, href we built, aria-*, data-*,
 *  event handlers as functions); children are nodes or strings (always text nodes). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function svgEl(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node, attrs) {
  if (!attrs) return;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'class') {
      node.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    } else if (key.startsWith('on')) {
      throw new Error(`refusing a non-function ${key} attribute`);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A link inside the page (a hash route we built). */
function link(hash, ...children) {
  return el('a', { href: hash }, ...children);
}

/** The URL if it is an absolute http(s) URL, else null. */
function httpUrl(url) {
  if (typeof url !== 'string' || url.trim() === '') return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** A link to an outside page, or the URL as plain text when it is not http(s). */
function externalLink(url, label) {
  const href = httpUrl(url);
  if (!href) return el('span', { class: 'url-text' }, String(url));
  return el('a', { href, rel: 'noopener noreferrer nofollow', class: 'external' }, label ?? hostOf(href));
}

function hostOf(href) {
  try {
    return new URL(href).host || href;
  } catch {
    return href;
  }
}

const enc = encodeURIComponent;
const speakerHash = (id) => `#/speaker/${enc(id)}`;
const documentHash = (id) => `#/document/${enc(id)}`;
const clusterHash = (id) => `#/cluster/${enc(id)}`;

function str(v) {
  return v === null || v === undefined ? '' : String(v);
}

function plural(n, one, many = `${one}s`) {
  return `${fmtNum(n)} ${n === 1 ? one : many}`;
}

function fmtNum(n) {
  return typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en-GB') : str(n);
}

/** "2012-03-26" → "26 Mar 2012"; anything else as given. */
function fmtDate(d) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(str(d));
  if (!m || +m[2] < 1 || +m[2] > 12) return str(d);
  return `${+m[3]} ${MONTHS[+m[2] - 1]} ${m[1]}`;
}

function fmtMonth(key) {
  const m = /^(\d{4})-(\d{2})$/.exec(str(key));
  if (!m || +m[2] < 1 || +m[2] > 12) return str(key) || 'undated';
  return `${MONTHS[+m[2] - 1]} ${m[1]}`;
}

function dateEl(d) {
  if (!d) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? el('time', { datetime: d }, fmtDate(d)) : el('span', null, str(d));
}

function fmtConfidence(c) {
  return typeof c === 'number' && Number.isFinite(c) ? `${Math.round(c * 100)}%` : '';
}

function badge(text, cls) {
  return el('span', { class: ['badge', cls] }, text);
}

function kindBadge(kind) {
  const known = ['direct', 'mixed', 'indirect'].includes(kind);
  return badge(str(kind) || 'unknown', known ? `kind-${kind}` : 'kind-other');
}

function notice(kind, ...children) {
  return el('div', { class: ['notice', kind], role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

function errorNotice(err, what) {
  return notice('error', el('strong', null, what ? `Could not load ${what}: ` : 'Error: '), errorMessage(err));
}

function errorMessage(err) {
  return err instanceof ApiError ? err.message : `Unexpected error: ${err && err.message ? err.message : err}`;
}

function loading(what) {
  return el('p', { class: 'loading', role: 'status' }, `Loading ${what}…`);
}

function sectionHeading(level, text, id) {
  return el(`h${level}`, { id }, text);
}

// ---------------------------------------------------------------------------------------------
// The API

class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

async function api(path, params) {
  const url = new URL(path, window.location.origin);
  if (params) {
    for (const [k, v] of Object.entries(params)) {
      if (v !== null && v !== undefined && String(v) !== '') url.searchParams.set(k, String(v));
    }
  }
  let res;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  } catch (e) {
    throw new ApiError(`the server did not answer (${e.message || e}). Is \`verbatim serve\` still running?`, 0);
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const msg = body && typeof body.error === 'string' && body.error ? body.error : `${res.status} ${res.statusText}`.trim();
    throw new ApiError(msg, res.status);
  }
  if (body === null || typeof body !== 'object') throw new ApiError('the server sent an answer that is not JSON', res.status);
  return body;
}

const asArray = (v) => (Array.isArray(v) ? v : []);

// ---------------------------------------------------------------------------------------------
// Routing

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseRoute(hash) {
  const h = hash.replace(/^#/, '');
  if (h === '' || h === '/') return { name: 'search', params: new URLSearchParams() };
  if (h.startsWith('/?')) return { name: 'search', params: new URLSearchParams(h.slice(2)) };
  const m = /^\/(speaker|document|cluster)\/(.+)$/.exec(h);
  if (m) return { name: m[1], id: safeDecode(m[2]) };
  return { name: 'notfound', path: h };
}

function searchHash(values) {
  const p = new URLSearchParams();
  for (const k of SEARCH_FIELDS) {
    const v = str(values[k]).trim();
    if (v && !(k === 'order' && v === 'newest')) p.set(k, v);
  }
  const s = p.toString();
  return s ? `#/?${s}` : '#/';
}

function navigate(hash) {
  if (window.location.hash === hash) render();
  else window.location.hash = hash;
}

let generation = 0;
let lastRoute = null;

async function render() {
  const gen = ++generation;
  const route = parseRoute(window.location.hash);
  const previous = lastRoute;
  lastRoute = route;
  document.body.setAttribute('data-route', route.name);
  syncHeaderSearch(route);
  const stale = () => gen !== generation;
  // Move focus to the new view's heading when the page changes (not while refining a search).
  const sameView = previous && previous.name === route.name && (route.name === 'search' || previous.id === route.id);
  try {
    if (route.name === 'search') await renderSearch(route, stale, sameView);
    else if (route.name === 'speaker') await renderSpeaker(route.id, stale);
    else if (route.name === 'document') await renderDocument(route.id, stale);
    else if (route.name === 'cluster') await renderCluster(route.id, stale);
    else renderNotFound(route);
  } catch (e) {
    if (stale()) return;
    show(el('div', { class: 'view' }, el('h1', { tabindex: '-1' }, 'Something went wrong'), errorNotice(e)));
  }
  if (!stale() && previous && !sameView) {
    const h1 = main.querySelector('h1');
    if (h1) h1.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
}

/** Replace the view. */
function show(node) {
  main.replaceChildren(node);
  main.removeAttribute('aria-busy');
}

function showLoading(what) {
  main.setAttribute('aria-busy', 'true');
  main.replaceChildren(el('div', { class: 'view' }, loading(what)));
}

function setTitle(...parts) {
  document.title = [...parts.filter(Boolean), 'Verbatim quote bank'].join(' · ');
}

function renderNotFound(route) {
  setTitle('Not found');
  show(
    el(
      'div',
      { class: 'view' },
      el('h1', { tabindex: '-1' }, 'No such page'),
      notice('error', `There is no page at “#${route.path}”. `, link('#/', 'Search the quotes'), '.'),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Header: stats and the quick search box

const headerForm = document.getElementById('header-search');
const headerQ = document.getElementById('header-q');

headerForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  navigate(searchHash({ q: headerQ.value }));
});

function syncHeaderSearch(route) {
  if (document.activeElement === headerQ) return;
  headerQ.value = route.name === 'search' ? str(route.params.get('q')) : '';
}

async function loadStats() {
  const box = document.getElementById('stats');
  try {
    const s = await api('/api/stats');
    const parts = [
      plural(s.documents, 'document'),
      plural(s.quotes, 'quote'),
      plural(s.speakers, 'speaker'),
    ];
    if (typeof s.multi_outlet_clusters === 'number') {
      parts.push(`${fmtNum(s.multi_outlet_clusters)} ${s.multi_outlet_clusters === 1 ? 'remark' : 'remarks'} in several outlets`);
    }
    box.replaceChildren(el('span', { class: 'sr-only' }, 'The bank holds '), parts.join(' · '));
  } catch (e) {
    box.replaceChildren(el('span', { class: 'stats-error' }, `Statistics unavailable: ${errorMessage(e)}`));
  }
}

document.getElementById('skip-link').addEventListener('click', (ev) => {
  // The hash is the router's: focus the content instead of navigating to "#main".
  ev.preventDefault();
  main.focus();
});

// ---------------------------------------------------------------------------------------------
// Search

function field(name, label, attrs, hint) {
  const id = `f-${name}`;
  const hintId = hint ? `${id}-hint` : null;
  return el(
    'div',
    { class: ['field', `field-${name}`] },
    el('label', { for: id }, label),
    el('input', { id, name, type: 'text', autocomplete: 'off', 'aria-describedby': hintId, ...attrs }),
    hint ? el('span', { class: 'hint', id: hintId }, hint) : null,
  );
}

function buildSearchForm() {
  const datePattern = '\\d{4}(-\\d{2}(-\\d{2})?)?';
  const form = el(
    'form',
    { class: 'search-form', role: 'search', 'aria-label': 'Search quotes', novalidate: true },
    el(
      'div',
      { class: 'field field-q' },
      el('label', { for: 'f-q' }, 'Words in the quote'),
      el(
        'div',
        { class: 'q-row' },
        el('input', {
          id: 'f-q',
          name: 'q',
          type: 'search',
          autocomplete: 'off',
          placeholder: 'e.g. flexibility, "last election", missile*',
          'aria-describedby': 'f-q-hint',
        }),
        el('button', { type: 'submit', class: 'primary' }, 'Search'),
        el('button', { type: 'reset', class: 'secondary' }, 'Clear'),
      ),
      el('span', { class: 'hint', id: 'f-q-hint' }, 'All words must appear; "a phrase" in double quotes; word* for a prefix.'),
    ),
    el(
      'div',
      { class: 'filters' },
      field('speaker', 'Speaker', { placeholder: 'name or id' }),
      field('outlet', 'Outlet', { placeholder: 'e.g. bbc' }),
      field('since', 'Since', { placeholder: 'YYYY-MM-DD', pattern: datePattern, inputmode: 'numeric' }),
      field('until', 'Until', { placeholder: 'YYYY-MM-DD', pattern: datePattern, inputmode: 'numeric' }),
      el(
        'div',
        { class: 'field field-order' },
        el('label', { for: 'f-order' }, 'Order'),
        el(
          'select',
          { id: 'f-order', name: 'order' },
          el('option', { value: 'newest' }, 'Newest first'),
          el('option', { value: 'relevance' }, 'Best match first'),
        ),
      ),
    ),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const values = Object.fromEntries(SEARCH_FIELDS.map((k) => [k, form.elements[k].value]));
    navigate(searchHash(values));
  });
  form.addEventListener('reset', (ev) => {
    ev.preventDefault();
    for (const k of SEARCH_FIELDS) form.elements[k].value = k === 'order' ? 'newest' : '';
    navigate('#/');
  });
  return form;
}

function fillSearchForm(form, params) {
  for (const k of SEARCH_FIELDS) {
    const v = str(params.get(k));
    form.elements[k].value = k === 'order' ? (v === 'relevance' ? 'relevance' : 'newest') : v;
  }
}

let topSpeakers = null; // cached promise

function topSpeakersBox() {
  const box = el('aside', { class: 'top-speakers', 'aria-labelledby': 'top-speakers-h' }, sectionHeading(2, 'Most quoted', 'top-speakers-h'));
  const body = el('div', null, loading('speakers'));
  box.append(body);
  if (!topSpeakers) topSpeakers = api('/api/speakers', { limit: 12 });
  topSpeakers.then(
    (r) => {
      const list = asArray(r.speakers);
      if (!list.length) {
        body.replaceChildren(el('p', { class: 'empty' }, 'No speakers yet.'));
        return;
      }
      body.replaceChildren(
        el(
          'ol',
          { class: 'speaker-list' },
          list.map((s) => el('li', null, link(speakerHash(s.id), str(s.name)), ' ', el('span', { class: 'count' }, fmtNum(s.quote_count)))),
        ),
      );
    },
    (e) => {
      topSpeakers = null;
      body.replaceChildren(errorNotice(e, 'the speakers'));
    },
  );
  return box;
}

async function renderSearch(route, stale, sameView) {
  const params = route.params;
  let view = main.querySelector(':scope > .view-search');
  if (!view) {
    const results = el('section', { class: 'results', 'aria-labelledby': 'results-h' });
    view = el(
      'div',
      { class: 'view view-search' },
      el('h1', { tabindex: '-1', class: 'sr-only', id: 'search-h' }, 'Search quotes'),
      el('div', { class: 'search-layout' }, el('div', { class: 'search-main' }, buildSearchForm(), results), topSpeakersBox()),
    );
    show(view);
  }
  const form = view.querySelector('form.search-form');
  const results = view.querySelector('section.results');
  fillSearchForm(form, params);
  const filtered = SEARCH_FIELDS.some((k) => k !== 'order' && str(params.get(k)).trim() !== '');
  setTitle(filtered ? `Search: ${[params.get('q'), params.get('speaker'), params.get('outlet')].filter(Boolean).join(', ')}` : null);

  const query = Object.fromEntries(SEARCH_FIELDS.map((k) => [k, str(params.get(k)).trim()]));
  results.setAttribute('aria-busy', 'true');
  results.replaceChildren(el('h2', { id: 'results-h' }, filtered ? 'Results' : 'Latest quotes'), loading('quotes'));
  let page;
  try {
    page = await api('/api/quotes', { ...query, limit: PAGE_SIZE });
  } catch (e) {
    if (stale()) return;
    results.removeAttribute('aria-busy');
    results.replaceChildren(el('h2', { id: 'results-h' }, 'Results'), errorNotice(e));
    return;
  }
  if (stale()) return;
  results.removeAttribute('aria-busy');
  const hits = asArray(page.hits);
  const heading = el('h2', { id: 'results-h' }, filtered ? 'Results' : 'Latest quotes');
  const status = el('p', { class: 'result-count', role: 'status' });
  const parts = [heading];
  if (query.speaker) {
    const matched = asArray(page.speakers);
    parts.push(
      matched.length
        ? el('p', { class: 'matched-speakers' }, `Speaker “${query.speaker}” means: `, joinNodes(matched.map((s) => link(speakerHash(s.id), str(s.name))), ', '), '.')
        : notice('empty', `No speaker called “${query.speaker}” is in the bank.`),
    );
  }
  parts.push(status);
  if (!hits.length) {
    status.textContent = 'No quotes.';
    parts.push(
      notice(
        'empty',
        filtered
          ? 'No quote matches this search. Try fewer words, a prefix (flex*), or remove a filter.'
          : 'The bank has no quotes yet. Add documents with `verbatim ingest`.',
      ),
    );
    results.replaceChildren(...parts);
    return;
  }
  const list = hitList(hits);
  parts.push(list);
  const more = moreButton(page.next_cursor, list, status, (cursor) => api('/api/quotes', { ...query, limit: PAGE_SIZE, cursor }));
  parts.push(more);
  results.replaceChildren(...parts);
  updateCount(status, list, page.next_cursor);
}

function joinNodes(nodes, sep) {
  const out = [];
  nodes.forEach((n, i) => {
    if (i) out.push(sep);
    out.push(n);
  });
  return out;
}

function updateCount(status, list, nextCursor) {
  const n = list.children.length;
  status.textContent = `${plural(n, 'quote')}${nextCursor ? ', more below' : ''}.`;
}

/** "More" under a list of hits: fetches the next page and appends it. */
function moreButton(cursor, list, status, fetchPage) {
  const wrap = el('div', { class: 'more' });
  let next = cursor;
  const button = el('button', { type: 'button', class: 'secondary' }, 'More quotes');
  const msg = el('span', { class: 'more-msg', role: 'status' });
  wrap.append(button, msg);
  const refresh = () => {
    button.hidden = !next;
  };
  button.addEventListener('click', async () => {
    if (!next || button.disabled) return;
    button.disabled = true;
    msg.replaceChildren('Loading…');
    try {
      const page = await fetchPage(next);
      const hits = asArray(page.hits);
      const first = list.children.length;
      for (const h of hits) list.append(hitItem(h));
      next = page.next_cursor || null;
      msg.replaceChildren();
      if (status) updateCount(status, list, next);
      const firstNew = list.children[first];
      const target = firstNew && firstNew.querySelector('a, button');
      if (target) target.focus();
    } catch (e) {
      msg.replaceChildren(el('span', { class: 'error-text' }, errorMessage(e)));
    } finally {
      button.disabled = false;
      refresh();
    }
  });
  refresh();
  return wrap;
}

function hitList(hits) {
  return el('ol', { class: 'hits' }, hits.map(hitItem));
}

function speakerLabel(speaker, raw) {
  if (speaker && speaker.id !== undefined && speaker.id !== null) {
    const out = [link(speakerHash(speaker.id), str(speaker.name) || `#${speaker.id}`)];
    if (raw && raw !== speaker.name) out.push(' ', el('span', { class: 'as' }, `(as “${raw}”)`));
    return el('span', { class: 'speaker' }, out);
  }
  if (raw) return el('span', { class: 'speaker unlinked', title: 'Not linked to a known speaker' }, str(raw));
  return el('span', { class: 'speaker unknown' }, 'Unknown speaker');
}

function clusterLink(id, size) {
  if (id === null || id === undefined || !(size > 1)) return null;
  return link(clusterHash(id), `Same remark: ${plural(size, 'report')}`);
}

function hitItem(h) {
  const docLabel = str(h.title) || str(h.document_id);
  return el(
    'li',
    { class: 'hit', 'data-quote': str(h.quote_id) },
    el(
      'article',
      { 'aria-label': `Quote by ${h.speaker ? str(h.speaker.name) : str(h.speaker_raw) || 'unknown speaker'}` },
      el('blockquote', { class: ['hit-text', `kind-${['direct', 'mixed', 'indirect'].includes(h.kind) ? h.kind : 'other'}`] }, str(h.text)),
      el(
        'p',
        { class: 'hit-meta' },
        speakerLabel(h.speaker, h.speaker_raw),
        h.date ? [sep(), dateEl(h.date)] : null,
        h.outlet ? [sep(), el('span', { class: 'outlet' }, str(h.outlet))] : null,
        sep(),
        kindBadge(h.kind),
        fmtConfidence(h.confidence) ? [' ', el('span', { class: 'confidence', title: 'Extraction confidence' }, fmtConfidence(h.confidence))] : null,
        h.verdict ? [sep(), verdictBadge(h.verdict, 'Checked against a transcript')] : null,
      ),
      el(
        'p',
        { class: 'hit-links' },
        el('span', { class: 'in' }, 'In '),
        link(documentHash(h.document_id), docLabel),
        clusterLink(h.cluster_id, h.cluster_size) ? [sep(), clusterLink(h.cluster_id, h.cluster_size)] : null,
        httpUrl(h.url) ? [sep(), externalLink(h.url, 'original')] : null,
      ),
    ),
  );
}

function scrollBehavior() {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
}

function sep() {
  return el('span', { class: 'sep', 'aria-hidden': 'true' }, ' · ');
}

// ---------------------------------------------------------------------------------------------
// Speaker

async function renderSpeaker(id, stale) {
  showLoading('the speaker');
  setTitle('Speaker');
  let s;
  try {
    s = await api(`/api/speakers/${enc(id)}`);
  } catch (e) {
    if (stale()) return;
    setTitle('Speaker not found');
    show(el('div', { class: 'view view-speaker' }, el('h1', { tabindex: '-1' }, 'Speaker'), errorNotice(e), backToSearch()));
    return;
  }
  if (stale()) return;
  const name = str(s.name) || `Speaker ${id}`;
  setTitle(name);
  const byOutlet = asArray(s.by_outlet);
  const byMonth = asArray(s.by_month);
  const lede = [plural(s.quote_count, 'quote'), plural(byOutlet.length, 'outlet')];
  const dated = byMonth.filter((c) => /^\d{4}-\d{2}$/.test(c.key)).map((c) => c.key).sort();
  if (dated.length) lede.push(dated[0] === dated[dated.length - 1] ? fmtMonth(dated[0]) : `${fmtMonth(dated[0])} – ${fmtMonth(dated[dated.length - 1])}`);

  const quotesSection = el('section', { class: 'panel speaker-quotes', 'aria-labelledby': 'sq-h' }, sectionHeading(2, 'Latest quotes', 'sq-h'), loading('quotes'));
  const view = el(
    'div',
    { class: 'view view-speaker' },
    el(
      'header',
      { class: 'view-head' },
      el('p', { class: 'kicker' }, 'Speaker'),
      el('h1', { tabindex: '-1' }, name),
      el(
        'p',
        { class: 'lede' },
        lede.join(' · '),
        s.external_id ? [sep(), externalIdLink(s.external_id)] : null,
        s.partial ? [sep(), badge('surname only', 'partial')] : null,
      ),
      s.partial ? el('p', { class: 'hint' }, 'Only a surname was found for this speaker; it could not be linked to a full name.') : null,
    ),
    el(
      'div',
      { class: 'speaker-grid' },
      el('section', { class: 'panel', 'aria-labelledby': 'chart-h' }, sectionHeading(2, 'Quotes over time', 'chart-h'), monthChart(byMonth)),
      el(
        'section',
        { class: 'panel', 'aria-labelledby': 'outlets-h' },
        sectionHeading(2, 'By outlet', 'outlets-h'),
        outletBars(byOutlet),
        sectionHeading(3, 'Named as', 'spell-h'),
        spellingList(asArray(s.spellings)),
        asArray(s.aliases).length
          ? [sectionHeading(3, 'Aliases', 'alias-h'), el('ul', { class: 'chips' }, asArray(s.aliases).map((a) => el('li', { class: 'chip' }, str(a))))]
          : null,
      ),
    ),
    quotesSection,
  );
  show(view);

  try {
    const page = await api('/api/quotes', { speaker: s.id ?? id, limit: 10 });
    if (stale()) return;
    const hits = asArray(page.hits);
    const parts = [sectionHeading(2, 'Latest quotes', 'sq-h')];
    if (!hits.length) {
      parts.push(notice('empty', 'No quotes by this speaker.'));
    } else {
      const list = hitList(hits);
      parts.push(list, moreButton(page.next_cursor, list, null, (cursor) => api('/api/quotes', { speaker: s.id ?? id, limit: 20, cursor })));
    }
    parts.push(el('p', { class: 'see-all' }, link(searchHash({ speaker: String(s.id ?? id) }), `Search ${name}’s quotes`)));
    quotesSection.replaceChildren(...parts);
  } catch (e) {
    if (stale()) return;
    quotesSection.replaceChildren(sectionHeading(2, 'Latest quotes', 'sq-h'), errorNotice(e, 'the quotes'));
  }
}

function externalIdLink(id) {
  const s = str(id);
  if (/^Q[1-9]\d*$/.test(s)) {
    return el('a', { href: `https://www.wikidata.org/wiki/${s}`, rel: 'noopener noreferrer nofollow', class: 'external' }, `Wikidata ${s}`);
  }
  return el('span', { class: 'external-id' }, s);
}

function backToSearch() {
  return el('p', null, link('#/', '← Back to search'));
}

/** Months between two `YYYY-MM` keys, inclusive. */
function monthRange(from, to) {
  const out = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

function addMonths(key, n) {
  const [y, m] = key.split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/** A bar per month (per year when the span is long), gaps filled with zero; undated apart. */
function monthChart(byMonth) {
  const counts = new Map();
  let undated = 0;
  for (const c of byMonth) {
    const n = Number(c.n) || 0;
    if (/^\d{4}-(0[1-9]|1[0-2])$/.test(str(c.key))) counts.set(c.key, (counts.get(c.key) || 0) + n);
    else undated += n;
  }
  if (!counts.size) return el('p', { class: 'empty' }, undated ? `${plural(undated, 'quote')}, all undated.` : 'No quotes.');
  const keys = [...counts.keys()].sort();
  // At least a year on the axis, so one busy month is a bar among months, not a block.
  let from = keys[0];
  let to = keys[keys.length - 1];
  for (let span = monthRange(from, to).length, k = 0; span < 12; span += 1, k += 1) {
    if (k % 2 === 0) to = addMonths(to, 1);
    else from = addMonths(from, -1);
  }
  let bars = monthRange(from, to).map((k) => ({ key: k, label: fmtMonth(k), n: counts.get(k) || 0 }));
  let unit = 'month';
  if (bars.length > 60) {
    unit = 'year';
    const years = new Map();
    for (const b of bars) years.set(b.key.slice(0, 4), (years.get(b.key.slice(0, 4)) || 0) + b.n);
    bars = [...years].map(([k, n]) => ({ key: k, label: k, n }));
  }
  const max = Math.max(1, ...bars.map((b) => b.n));
  const n = bars.length;
  // Bars in an SVG stretched to the box (geometry attributes, no style); labels in HTML, so
  // they stay readable at any width.
  const plot = svgEl('svg', {
    class: 'bars',
    viewBox: `0 0 ${n} 100`,
    preserveAspectRatio: 'none',
    role: 'img',
    'aria-label': `Quotes per ${unit}, ${bars[0].label} to ${bars[n - 1].label}, at most ${max} in a ${unit}`,
  });
  plot.append(svgEl('line', { x1: 0, x2: n, y1: 0.5, y2: 0.5, class: 'gridline' }));
  bars.forEach((b, i) => {
    const h = b.n ? Math.max(1.5, (b.n / max) * 100) : 0;
    plot.append(
      svgEl('rect', { x: i + 0.12, width: 0.76, y: 100 - h, height: h, class: b.n ? 'bar' : 'bar zero' }, svgEl('title', null, `${b.label}: ${plural(b.n, 'quote')}`)),
    );
  });
  const step = Math.max(1, Math.ceil(n / 6));
  const labels = el(
    'div',
    { class: 'bar-labels', 'aria-hidden': 'true' },
    // Every other label is dropped on narrow screens (class "major" keeps its label).
    bars.map((b, i) => el('span', { class: ['bar-label', i % (2 * step) === 0 && 'major'] }, i % step === 0 ? b.label : '')),
  );
  const chart = el(
    'figure',
    { class: 'chart' },
    el('div', { class: 'chart-area' }, el('span', { class: 'axis-max', 'aria-hidden': 'true' }, fmtNum(max)), plot),
    labels,
    el('figcaption', null, `Quotes per ${unit}${undated ? `; ${fmtNum(undated)} undated` : ''}.`),
  );
  const table = el(
    'details',
    { class: 'chart-table' },
    el('summary', null, 'Show as a table'),
    el(
      'table',
      null,
      el('thead', null, el('tr', null, el('th', { scope: 'col' }, unit === 'year' ? 'Year' : 'Month'), el('th', { scope: 'col' }, 'Quotes'))),
      el(
        'tbody',
        null,
        bars.filter((b) => b.n).map((b) => el('tr', null, el('th', { scope: 'row' }, b.label), el('td', null, fmtNum(b.n)))),
        undated ? el('tr', null, el('th', { scope: 'row' }, 'undated'), el('td', null, fmtNum(undated))) : null,
      ),
    ),
  );
  return el('div', null, chart, table);
}

function outletBars(byOutlet) {
  if (!byOutlet.length) return el('p', { class: 'empty' }, 'No outlets.');
  const max = Math.max(1, ...byOutlet.map((c) => Number(c.n) || 0));
  const shown = byOutlet.slice(0, 15);
  return el(
    'ul',
    { class: 'hbars' },
    shown.map((c) => {
      const w = Math.max(1, ((Number(c.n) || 0) / max) * 100);
      return el(
        'li',
        null,
        c.key ? link(searchHash({ outlet: c.key }), str(c.key)) : el('span', { class: 'muted' }, 'no outlet'),
        svgEl('svg', { class: 'hbar', viewBox: '0 0 100 10', preserveAspectRatio: 'none', 'aria-hidden': 'true' }, svgEl('rect', { x: 0, y: 0, width: w, height: 10, class: 'bar' })),
        el('span', { class: 'count' }, fmtNum(c.n)),
      );
    }),
    byOutlet.length > shown.length ? el('li', { class: 'muted' }, `and ${plural(byOutlet.length - shown.length, 'more outlet')}`) : null,
  );
}

function spellingList(spellings) {
  if (!spellings.length) return el('p', { class: 'empty' }, '—');
  return el(
    'ul',
    { class: 'chips' },
    spellings.map((c) => el('li', { class: 'chip' }, str(c.key) || '(no name)', ' ', el('span', { class: 'count' }, fmtNum(c.n)))),
  );
}

// ---------------------------------------------------------------------------------------------
// Document

/** UTF-16 index of every code point of `text`, plus its length at the end: the API's offsets
 *  count code points (end exclusive), JavaScript strings count UTF-16 units. */
function codePointIndex(text) {
  const idx = [];
  let i = 0;
  while (i < text.length) {
    idx.push(i);
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    i += pair ? 2 : 1;
  }
  idx.push(text.length);
  return idx;
}

/** The text with every quote's spans in `<mark class="source|cue|content" data-quote=ID>`.
 *  Overlapping spans of different quotes are split at every boundary and nested: each piece
 *  of text sits inside one mark per span covering it, outermost the earliest (then longest). */
function highlightedText(text, quotes) {
  const cp = codePointIndex(text);
  const ncp = cp.length - 1;
  const spans = [];
  let skipped = 0;
  for (const q of quotes) {
    for (const part of PARTS) {
      asArray(q[part]).forEach((s, k) => {
        const ok = s && Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= ncp && s.start < s.end;
        if (!ok) {
          skipped += 1;
          return;
        }
        spans.push({ quote: str(q.id), part, index: k, a: cp[s.start], b: cp[s.end] });
      });
    }
  }
  const rank = { content: 0, source: 1, cue: 2 };
  spans.sort((x, y) => x.a - y.a || y.b - x.b || rank[x.part] - rank[y.part] || (x.quote < y.quote ? -1 : x.quote > y.quote ? 1 : 0));
  const points = [...new Set([0, text.length, ...spans.flatMap((s) => [s.a, s.b])])].sort((x, y) => x - y);

  const root = document.createDocumentFragment();
  let stack = []; // open marks: { span, node }
  let active = [];
  let next = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i];
    const b = points[i + 1];
    active = active.filter((s) => s.b > a);
    while (next < spans.length && spans[next].a <= a) active.push(spans[next++]);
    let k = 0;
    while (k < stack.length && k < active.length && stack[k].span === active[k]) k++;
    stack = stack.slice(0, k);
    let parent = k ? stack[k - 1].node : root;
    for (let j = k; j < active.length; j++) {
      const s = active[j];
      const mark = el('mark', { class: s.part, 'data-quote': s.quote, 'data-span': `${s.part}-${s.index}` });
      parent.append(mark);
      stack.push({ span: s, node: mark });
      parent = mark;
    }
    parent.append(document.createTextNode(text.slice(a, b)));
  }
  return { fragment: root, skipped };
}

function spanTexts(spans) {
  return asArray(spans)
    .map((s) => str(s && s.text))
    .filter(Boolean);
}

function parsePieces(diff) {
  // wdiff style: [-removed-] {+added+} and […] for an elision.
  const out = [];
  const re = /\[-([\s\S]*?)-\]|\{\+([\s\S]*?)\+\}|\[…\]|\[\.\.\.\]/g;
  let last = 0;
  let m;
  while ((m = re.exec(diff)) !== null) {
    if (m.index > last) out.push({ t: 'same', s: diff.slice(last, m.index) });
    if (m[1] !== undefined) out.push({ t: 'del', s: m[1] });
    else if (m[2] !== undefined) out.push({ t: 'ins', s: m[2] });
    else out.push({ t: 'elided', s: m[0] });
    last = re.lastIndex;
  }
  if (last < diff.length) out.push({ t: 'same', s: diff.slice(last) });
  return out;
}

function diffNodes(pieces) {
  return pieces.map((p) => {
    if (p.t === 'del') return el('del', { title: 'in the transcript, not in the quote' }, p.s);
    if (p.t === 'ins') return el('ins', { title: 'in the quote, not in the transcript' }, p.s);
    if (p.t === 'elided') return el('span', { class: 'elided', title: 'elided' }, p.s);
    return p.s;
  });
}

/** A verdict badge; an unknown verdict gets the neutral style, never its own class name. */
function verdictBadge(value, title) {
  const verdict = str(value);
  const known = VERDICTS.includes(verdict);
  return el('span', { class: ['verdict', known ? `verdict-${verdict}` : 'verdict-other'], title }, verdict ? verdict.replace('_', ' ') : 'unchecked');
}

function verificationItem(v) {
  const speaker =
    v.speaker_matches === true
      ? el('span', { class: 'speaker-match yes' }, `speaker matches${v.transcript_speaker ? ` (${v.transcript_speaker})` : ''}`)
      : v.speaker_matches === false
        ? el('span', { class: 'speaker-match no' }, `different speaker in the transcript${v.transcript_speaker ? `: ${v.transcript_speaker}` : ''}`)
        : null;
  const transcript = v.transcript_id !== undefined && v.transcript_id !== null ? link(documentHash(v.transcript_id), str(v.transcript_title) || str(v.transcript_id)) : str(v.transcript_title) || 'a transcript';
  return el(
    'li',
    { class: 'verification' },
    el(
      'p',
      { class: 'verification-head' },
      verdictBadge(v.verdict),
      ' against ',
      transcript,
      speaker ? [sep(), speaker] : null,
      typeof v.score === 'number' && Number.isFinite(v.score) ? [sep(), el('span', { class: 'score', title: 'match score' }, `score ${v.score.toFixed(2)}`)] : null,
    ),
    typeof v.diff === 'string' && v.diff ? el('p', { class: 'diff' }, diffNodes(parsePieces(v.diff))) : null,
    !v.diff && v.said && v.said.text ? el('p', { class: 'diff' }, el('span', { class: 'said-label' }, 'Transcript: '), str(v.said.text)) : null,
  );
}

/** An article that reported a transcript turn: its verdict, link and diff. */
function reportItem(r) {
  const label = str(r.title) || str(r.document_id);
  return el(
    'li',
    { class: 'report' },
    el(
      'p',
      { class: 'verification-head' },
      verdictBadge(r.verdict),
      ' in ',
      link(documentHash(r.document_id), label),
      r.outlet ? [sep(), el('span', { class: 'outlet' }, str(r.outlet))] : null,
      r.date ? [sep(), dateEl(r.date)] : null,
      r.speaker_matches === false ? [sep(), el('span', { class: 'speaker-match no' }, `attributed to ${str(r.speaker_raw) || 'someone else'}`)] : null,
    ),
    el('blockquote', { class: 'report-text' }, str(r.text)),
    // The diff is normalised words: worth showing only where the article departs from the turn.
    typeof r.diff === 'string' && parsePieces(r.diff).some((p) => p.t !== 'same') ? el('p', { class: 'diff' }, diffNodes(parsePieces(r.diff))) : null,
  );
}

function quoteItem(q, pin) {
  const id = str(q.id);
  const content = spanTexts(q.content);
  const setting = str(q.setting);
  const verifications = asArray(q.verifications);
  const reportedBy = asArray(q.reported_by);
  const showBtn = el('button', { type: 'button', class: 'show-in-text secondary small', 'aria-pressed': 'false' }, 'Show in text');
  showBtn.addEventListener('click', (ev) => {
    ev.stopPropagation();
    pin(id, true);
  });
  const parts = [
    ['Source', spanTexts(q.source)],
    ['Cue', spanTexts(q.cue)],
  ].filter(([, t]) => t.length);
  return el(
    'li',
    { class: 'quote-item', 'data-quote': id, id: `quote-${id}` },
    el(
      'p',
      { class: 'qi-head' },
      speakerLabel(q.speaker, q.speaker_raw),
      q.addressee ? [el('span', { class: 'to', 'aria-label': 'to' }, ' → '), el('span', { class: 'addressee' }, str(q.addressee))] : null,
    ),
    el(
      'p',
      { class: 'qi-badges' },
      kindBadge(q.kind),
      setting && setting !== 'unknown' ? [' ', badge(SETTING_LABEL[setting] || setting, 'setting')] : null,
      fmtConfidence(q.confidence) ? [' ', el('span', { class: 'confidence', title: 'Extraction confidence' }, `${fmtConfidence(q.confidence)} confident`)] : null,
      q.speaker_link ? [' ', el('span', { class: 'link-how', title: LINK_TITLE[q.speaker_link] || 'How the speaker was linked' }, `linked: ${q.speaker_link}`)] : null,
    ),
    content.length ? el('blockquote', { class: 'qi-content' }, content.join(' … ')) : el('p', { class: 'muted' }, 'No content span.'),
    parts.length ? el('dl', { class: 'qi-parts' }, parts.map(([label, t]) => [el('dt', { class: `part-${label.toLowerCase()}` }, label), el('dd', null, t.join(' … '))])) : null,
    el('p', { class: 'qi-actions' }, showBtn, clusterLink(q.cluster_id, q.cluster_size) ? [' ', clusterLink(q.cluster_id, q.cluster_size)] : null),
    verifications.length
      ? el('div', { class: 'verifications' }, el('h3', null, 'Checked against transcripts'), el('ul', null, verifications.map(verificationItem)))
      : null,
    reportedBy.length
      ? el('div', { class: 'verifications reported-by' }, el('h3', null, 'Reported by'), el('ul', null, reportedBy.map(reportItem)))
      : null,
  );
}

async function renderDocument(id, stale) {
  showLoading('the document');
  setTitle('Document');
  let d;
  try {
    d = await api(`/api/documents/${enc(id)}`);
  } catch (e) {
    if (stale()) return;
    setTitle('Document not found');
    show(el('div', { class: 'view view-document' }, el('h1', { tabindex: '-1' }, 'Document'), errorNotice(e), backToSearch()));
    return;
  }
  if (stale()) return;
  const text = str(d.text);
  const quotes = asArray(d.quotes);
  const title = str(d.title) || str(d.id) || id;
  setTitle(title);

  const { fragment, skipped } = highlightedText(text, quotes);
  const textBox = el('div', { class: 'doc-text', id: 'doc-text' }, fragment);
  const list = el('ol', { class: 'quote-list' });

  // Highlighting one quote: hover/focus previews it, a click pins it.
  let pinned = null;
  let hovered = null;
  const apply = () => {
    const activeId = hovered ?? pinned;
    for (const n of textBox.querySelectorAll('mark.is-active')) n.classList.remove('is-active');
    for (const n of list.querySelectorAll('.quote-item.is-active')) n.classList.remove('is-active');
    textBox.classList.toggle('has-active', activeId !== null);
    if (activeId === null) return;
    for (const n of textBox.querySelectorAll('mark')) if (n.getAttribute('data-quote') === activeId) n.classList.add('is-active');
    for (const n of list.querySelectorAll('.quote-item')) if (n.getAttribute('data-quote') === activeId) n.classList.add('is-active');
  };
  const pin = (qid, scrollText) => {
    pinned = pinned === qid && scrollText ? null : qid;
    for (const b of list.querySelectorAll('button.show-in-text')) {
      const on = b.closest('.quote-item').getAttribute('data-quote') === pinned;
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
      b.textContent = on ? 'Hide in text' : 'Show in text';
    }
    apply();
    if (pinned !== null && scrollText) {
      const first = [...textBox.querySelectorAll('mark')].find((m) => m.getAttribute('data-quote') === pinned);
      if (first) first.scrollIntoView({ block: 'center', behavior: scrollBehavior() });
    }
  };
  for (const q of quotes) {
    const item = quoteItem(q, pin);
    const qid = str(q.id);
    item.addEventListener('mouseenter', () => {
      hovered = qid;
      apply();
    });
    item.addEventListener('mouseleave', () => {
      hovered = null;
      apply();
    });
    item.addEventListener('focusin', () => {
      hovered = qid;
      apply();
    });
    item.addEventListener('focusout', (ev) => {
      if (!item.contains(ev.relatedTarget)) {
        hovered = null;
        apply();
      }
    });
    item.addEventListener('click', (ev) => {
      if (ev.target.closest('a, button')) return;
      pin(qid, false);
    });
    list.append(item);
  }
  textBox.addEventListener('click', (ev) => {
    const mark = ev.target.closest('mark');
    if (!mark) return;
    const qid = mark.getAttribute('data-quote');
    pin(qid, false);
    const item = [...list.children].find((li) => li.getAttribute('data-quote') === qid);
    if (item) item.scrollIntoView({ block: 'nearest', behavior: scrollBehavior() });
  });

  const meta = [
    d.kind === 'transcript' ? badge('Transcript', 'doc-kind') : null,
    d.outlet ? el('span', { class: 'outlet' }, str(d.outlet)) : null,
    d.date ? dateEl(d.date) : null,
    d.url ? externalLink(d.url) : null,
  ].filter(Boolean);
  const view = el(
    'div',
    { class: 'view view-document' },
    el(
      'header',
      { class: 'view-head' },
      el('p', { class: 'kicker' }, 'Document'),
      el('h1', { tabindex: '-1' }, title),
      meta.length ? el('p', { class: 'lede' }, joinNodes(meta, ' · ')) : null,
      el('p', { class: 'doc-id' }, 'Id ', el('code', null, str(d.id))),
    ),
    el(
      'div',
      { class: 'doc-layout' },
      el(
        'section',
        { class: 'panel doc-text-panel', 'aria-labelledby': 'text-h' },
        el('h2', { id: 'text-h' }, 'Text'),
        el(
          'p',
          { class: 'legend' },
          PARTS.slice()
            .sort((x, y) => ['source', 'cue', 'content'].indexOf(x) - ['source', 'cue', 'content'].indexOf(y))
            .map((p) => el('span', { class: ['swatch', `swatch-${p}`] }, PART_LABEL[p])),
          el('span', { class: 'legend-hint' }, quotes.length ? 'Point at a quote in the list, or click a highlight.' : ''),
        ),
        skipped ? notice('warning', `${plural(skipped, 'span')} outside the text could not be highlighted.`) : null,
        textBox,
      ),
      el(
        'section',
        { class: 'panel doc-quotes-panel', 'aria-labelledby': 'quotes-h' },
        el('h2', { id: 'quotes-h' }, quotes.length ? `Quotes (${quotes.length})` : 'Quotes'),
        quotes.length ? list : notice('empty', 'No quotes were found in this document.'),
      ),
    ),
  );
  show(view);
}

// ---------------------------------------------------------------------------------------------
// Cluster

/** Exact word diff of `b` against `a` (longest common subsequence; punctuation counts):
 *  [{t: same|del|ins, s}]. */
function wordDiff(a, b) {
  const A = a.split(/\s+/).filter(Boolean);
  const B = b.split(/\s+/).filter(Boolean);
  if (A.length * B.length > 250000) return null;
  const na = A;
  const nb = B;
  const L = Array.from({ length: A.length + 1 }, () => new Uint32Array(B.length + 1));
  for (let i = A.length - 1; i >= 0; i--) {
    for (let j = B.length - 1; j >= 0; j--) {
      L[i][j] = na[i] === nb[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    }
  }
  const out = [];
  const push = (t, s) => {
    const last = out[out.length - 1];
    if (last && last.t === t) last.s += ` ${s}`;
    else out.push({ t, s });
  };
  let i = 0;
  let j = 0;
  while (i < A.length && j < B.length) {
    if (na[i] === nb[j]) {
      push('same', B[j]);
      i++;
      j++;
    } else if (L[i + 1][j] >= L[i][j + 1]) push('del', A[i++]);
    else push('ins', B[j++]);
  }
  while (i < A.length) push('del', A[i++]);
  while (j < B.length) push('ins', B[j++]);
  return out;
}

function wordDiffNodes(pieces) {
  const nodes = [];
  pieces.forEach((p, k) => {
    if (k) nodes.push(' ');
    if (p.t === 'del') nodes.push(el('del', null, p.s));
    else if (p.t === 'ins') nodes.push(el('ins', null, p.s));
    else nodes.push(p.s);
  });
  return nodes;
}

async function renderCluster(id, stale) {
  showLoading('the remark');
  setTitle('Remark');
  let c;
  try {
    c = await api(`/api/clusters/${enc(id)}`);
  } catch (e) {
    if (stale()) return;
    setTitle('Remark not found');
    show(el('div', { class: 'view view-cluster' }, el('h1', { tabindex: '-1' }, 'Remark'), errorNotice(e), backToSearch()));
    return;
  }
  if (stale()) return;
  const members = asArray(c.members);
  const outlets = asArray(c.outlets);
  const first = members[0];
  const who = c.speaker ? str(c.speaker.name) : first ? str(first.speaker_raw) : '';
  setTitle(who ? `Remark by ${who}` : 'Remark');
  const view = el(
    'div',
    { class: 'view view-cluster' },
    el(
      'header',
      { class: 'view-head' },
      el('p', { class: 'kicker' }, 'The same remark across outlets'),
      el('h1', { tabindex: '-1' }, first ? str(first.text) : `Remark ${id}`),
      el(
        'p',
        { class: 'lede' },
        c.speaker ? speakerLabel(c.speaker, null) : first ? speakerLabel(first.speaker, first.speaker_raw) : null,
        sep(),
        `${plural(c.size ?? members.length, 'report')} in ${plural(outlets.length, 'outlet')}`,
        c.first_seen ? [sep(), 'first seen ', dateEl(c.first_seen), c.first_outlet ? [' in ', el('span', { class: 'outlet' }, str(c.first_outlet))] : null] : null,
      ),
    ),
    el(
      'div',
      { class: 'cluster-layout' },
      el(
        'section',
        { class: 'panel', 'aria-labelledby': 'c-outlets-h' },
        el('h2', { id: 'c-outlets-h' }, 'Outlets'),
        outlets.length
          ? el(
              'table',
              { class: 'outlets-table' },
              el('thead', null, el('tr', null, el('th', { scope: 'col' }, 'Outlet'), el('th', { scope: 'col' }, 'First seen'), el('th', { scope: 'col' }, 'Reports'))),
              el(
                'tbody',
                null,
                outlets.map((o) => el('tr', null, el('th', { scope: 'row' }, str(o.outlet) || 'no outlet'), el('td', null, dateEl(o.first_seen) || '—'), el('td', null, fmtNum(o.quotes)))),
              ),
            )
          : el('p', { class: 'empty' }, 'No outlets.'),
      ),
      el(
        'section',
        { class: 'panel', 'aria-labelledby': 'c-members-h' },
        el('h2', { id: 'c-members-h' }, 'Wording in each report'),
        members.length ? el('ol', { class: 'members' }, members.map((m, i) => memberItem(m, i, first))) : notice('empty', 'This remark has no reports.'),
        (c.size ?? 0) > members.length ? el('p', { class: 'muted' }, `Showing the first ${fmtNum(members.length)} of ${fmtNum(c.size)}.`) : null,
      ),
    ),
  );
  show(view);
}

function memberItem(m, i, first) {
  let compare = null;
  if (i > 0 && first) {
    if (str(m.text) === str(first.text)) compare = el('p', { class: 'compare same' }, 'Same wording as the first report.');
    else {
      const d = wordDiff(str(first.text), str(m.text));
      if (d) {
        compare = el(
          'p',
          { class: 'compare diff' },
          el('span', { class: 'said-label' }, 'Compared with the first report: '),
          wordDiffNodes(d),
        );
      }
    }
  }
  return el(
    'li',
    { class: 'member', 'data-quote': str(m.quote_id) },
    el(
      'p',
      { class: 'member-head' },
      el('strong', { class: 'outlet' }, str(m.outlet) || 'no outlet'),
      m.date ? [sep(), dateEl(m.date)] : null,
      i === 0 ? [' ', badge('first', 'first')] : null,
    ),
    el('blockquote', { class: 'member-text' }, str(m.text)),
    el(
      'p',
      { class: 'hit-meta' },
      speakerLabel(m.speaker, m.speaker_raw),
      sep(),
      'in ',
      link(documentHash(m.document_id), str(m.title) || str(m.document_id)),
      httpUrl(m.url) ? [sep(), externalLink(m.url, 'original')] : null,
    ),
    compare,
  );
}

// ---------------------------------------------------------------------------------------------

window.addEventListener('hashchange', render);
loadStats();
render();
