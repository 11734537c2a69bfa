/**
 * `npm run preview -- --reader-sim`: a simulated second-generation ID card reader plugged in at the core's
 * reader port, in process (the real SAM protocol client talks to the simulator frame by frame; no socat, no
 * hardware), with a few demo cards, and a small panel of the preview's own at /reader-sim that puts a card on
 * the reader or takes it off. Never packaged in the Electron app.
 */
import { openInProcessReader } from '../core/cardReader/inProcessReader';
import { SamReaderSimulator, type SimulatorFault } from '../core/cardReader/samReaderSimulator';
import { SYNTHETIC_CARDS, type SyntheticCardId } from '../core/cardReader/syntheticCards';
import { PHOTO_LENGTH, TEXT_BLOCK_LENGTH } from '../core/cardReader/textBlock';
import type { CardReader } from '../core/cardReader/port';
import type { PreviewExtra } from './bridge';

const FAULTS: readonly SimulatorFault[] = ['bad_checksum', 'cut_frame', 'too_long', 'silence', 'lift_mid_read', 'sam_error'];

export interface PreviewReaderSim {
  sim: SamReaderSimulator;
  open(): Promise<CardReader>;
  extra: PreviewExtra;
}

function isCardId(id: unknown): id is SyntheticCardId {
  return typeof id === 'string' && Object.hasOwn(SYNTHETIC_CARDS, id);
}

function base64Of(value: unknown, length: number, what: string): Buffer {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) throw new Error(`${what}: base64 expected`);
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== length) throw new Error(`${what}: ${length} bytes expected`);
  return bytes;
}

export function previewReaderSim(): PreviewReaderSim {
  const sim = new SamReaderSimulator();
  let current: string | null = null;
  const state = () => ({ card: current, cards: Object.values(SYNTHETIC_CARDS).map((c) => ({ id: c.id, label: c.label })) });
  return {
    sim,
    open: () => Promise.resolve(openInProcessReader(sim)),
    extra: {
      prefix: '/reader-sim',
      page: () => PANEL_HTML,
      script: () => PANEL_SCRIPT,
      action: (name, body) => {
        const b = (body ?? {}) as Record<string, unknown>;
        if (name === 'state') return Promise.resolve(state());
        if (name === 'lift') {
          sim.lift();
          current = null;
          return Promise.resolve(state());
        }
        if (name === 'place') {
          if (isCardId(b.card)) {
            const card = SYNTHETIC_CARDS[b.card];
            sim.place(card);
            current = card.id;
          } else {
            // A test's own card (its text block and photo), for requests made from synthetic applicants.
            sim.place({ textBlock: base64Of(b.textBlock, TEXT_BLOCK_LENGTH, 'textBlock'), photo: base64Of(b.photo, PHOTO_LENGTH, 'photo') });
            current = 'custom';
          }
          return Promise.resolve(state());
        }
        if (name === 'fault') {
          if (!FAULTS.includes(b.fault as SimulatorFault)) throw new Error('unknown fault');
          sim.injectFault(b.fault as SimulatorFault);
          return Promise.resolve(state());
        }
        return Promise.reject(new Error('unknown action'));
      },
    },
  };
}

const PANEL_HTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>模拟读卡器 · UnbindDesk preview</title>
<style>body{font:14px/1.5 "Noto Sans CJK SC",sans-serif;margin:16px;max-width:520px}button{margin:4px 4px 4px 0;padding:4px 10px}
#state{margin:8px 0;padding:6px 8px;background:#f3f5f7;border-radius:4px}h1{font-size:16px}</style></head>
<body><h1>模拟身份证读卡器（仅预览版）</h1>
<p>把一张演示证件放到读卡器上，受理表单的“证件与申请人”步骤会自动读取。</p>
<div id="cards"></div>
<p><button id="lift">拿走证件</button></p>
<p>故障：<span id="faults"></span></p>
<div id="state" role="status">…</div>
<script src="/reader-sim/panel.js"></script></body></html>`;

const PANEL_SCRIPT = `
const token = new URLSearchParams(location.hash.slice(1)).get('token') || sessionStorage.getItem('readerSim.token') || '';
sessionStorage.setItem('readerSim.token', token);
history.replaceState(null, '', location.pathname);
async function act(name, body) {
  const r = await fetch('/reader-sim/' + name, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Counter-Token': token }, body: JSON.stringify(body || {}) });
  const result = await r.json();
  if (!result.ok) { document.getElementById('state').textContent = '失败：' + result.error.message; return; }
  show(result.value);
}
function show(s) {
  const label = s.card ? (s.cards.find((c) => c.id === s.card) || { label: s.card }).label : '无';
  document.getElementById('state').textContent = '读卡器上的证件：' + label;
  const box = document.getElementById('cards');
  if (!box.childElementCount) for (const c of s.cards) {
    const b = document.createElement('button');
    b.textContent = '放上：' + c.label; b.dataset.card = c.id;
    b.addEventListener('click', () => act('place', { card: c.id }));
    box.appendChild(b);
  }
}
document.getElementById('lift').addEventListener('click', () => act('lift'));
for (const f of ${JSON.stringify(FAULTS)}) {
  const b = document.createElement('button'); b.textContent = f;
  b.addEventListener('click', () => act('fault', { fault: f }));
  document.getElementById('faults').appendChild(b);
}
act('state');
`;
