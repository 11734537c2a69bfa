import { useCallback, useEffect, useRef, useState } from 'react';
import SignaturePad, { type PointGroup } from 'signature_pad';
import { Alert, Button, Space, Tag } from 'antd';
import { CheckCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { ApplicationSummary } from '../../../shared';
import { call } from '../../api/client';
import { useCodeText } from '../../i18n/codeText';

// The core's limit (applications.setSignature): 256 KB of PNG, far more than a signature needs.
const MAX_SIGNATURE_BYTES = 256 * 1024;
const PAD_HEIGHT = 220;

function pngBytes(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

/**
 * 客户签名: the customer signs with a pen, finger or mouse (pointer events, so pens report pressure).
 * Strokes can be undone and redone one by one or cleared; the signature goes to the core as a PNG, which
 * seals it with the request's personal data.
 */
export default function SignatureCapture(props: {
  application: { id: number; version: number; hasSignature: boolean };
  onSaved: (summary: ApplicationSummary) => void;
}) {
  const { t } = useTranslation();
  const { refusalText, codeText } = useCodeText();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const padRef = useRef<SignaturePad | null>(null);
  const saveRef = useRef<HTMLButtonElement>(null);
  const undone = useRef<PointGroup[]>([]);
  const [strokes, setStrokes] = useState(0);
  const [redoable, setRedoable] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const sync = useCallback(() => {
    setStrokes(padRef.current?.toData().length ?? 0);
    setRedoable(undone.current.length);
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    const box = boxRef.current;
    if (!canvas || !box) return;
    const pad = new SignaturePad(canvas, { penColor: '#111', minWidth: 1, maxWidth: 3.2, throttle: 8 });
    padRef.current = pad;
    // The canvas is sized in device pixels so strokes stay sharp at 125 % and 150 % zoom.
    const fit = () => {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const width = box.clientWidth;
      if (width === 0) return;
      const data = pad.toData();
      canvas.width = Math.floor(width * ratio);
      canvas.height = Math.floor(PAD_HEIGHT * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${PAD_HEIGHT}px`;
      canvas.getContext('2d')?.scale(ratio, ratio);
      pad.clear();
      if (data.length > 0) pad.fromData(data);
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(box);
    const onEnd = () => {
      undone.current = [];
      setSaved(false);
      sync();
      // The customer has signed: the teller's next key is 保存签名 (Enter), wherever the pen left the focus.
      requestAnimationFrame(() => saveRef.current?.focus({ preventScroll: true }));
    };
    pad.addEventListener('endStroke', onEnd);
    return () => {
      observer.disconnect();
      pad.removeEventListener('endStroke', onEnd);
      pad.off();
      padRef.current = null;
    };
  }, [sync]);

  const undo = () => {
    const pad = padRef.current;
    if (!pad) return;
    const data = pad.toData();
    const last = data.pop();
    if (!last) return;
    undone.current.push(last);
    pad.fromData(data);
    sync();
  };

  const redo = () => {
    const pad = padRef.current;
    const next = undone.current.pop();
    if (!pad || !next) return;
    pad.fromData([...pad.toData(), next]);
    sync();
  };

  const clear = () => {
    padRef.current?.clear();
    undone.current = [];
    setError(null);
    sync();
  };

  const save = async () => {
    const pad = padRef.current;
    if (!pad || pad.isEmpty()) {
      setError(t('signature.empty'));
      return;
    }
    const pngBase64 = pad.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
    if (pngBytes(pngBase64) > MAX_SIGNATURE_BYTES) {
      setError(codeText('signature.too_large'));
      return;
    }
    setSaving(true);
    setError(null);
    const result = await call('applications.setSignature', { id: props.application.id, version: props.application.version, pngBase64 });
    setSaving(false);
    if (!result.ok) {
      setError(refusalText(result.error));
      return;
    }
    setSaved(true);
    props.onSaved(result.value);
  };

  return (
    // Focusable as a whole: after 提交申请 the keyboard waits here while the customer signs.
    <div className="signature-capture" data-testid="signature-capture" tabIndex={-1} role="group" aria-label={t('signature.title')}>
      <p className="section-hint">{t('signature.intro')}</p>
      {props.application.hasSignature && !saved && strokes === 0 && (
        <Tag icon={<CheckCircleOutlined />} color="success" className="signature-status">
          {t('signature.already')}
        </Tag>
      )}
      <div ref={boxRef} className="signature-box">
        <canvas ref={canvasRef} className="signature-canvas" aria-label={t('signature.canvas')} role="img" data-testid="signature-canvas" />
        {strokes === 0 && <span className="signature-placeholder" aria-hidden>{t('signature.placeholder')}</span>}
      </div>
      {error && <Alert type="error" showIcon className="form-alert" title={<span role="alert" data-testid="signature-error">{error}</span>} />}
      {saved && <Alert type="success" showIcon className="form-alert" title={t('signature.saved')} data-testid="signature-saved" />}
      <Space wrap className="signature-actions">
        <Button onClick={undo} disabled={strokes === 0}>
          {t('signature.undo')}
        </Button>
        <Button onClick={redo} disabled={redoable === 0}>
          {t('signature.redo')}
        </Button>
        <Button onClick={clear} disabled={strokes === 0 && redoable === 0}>
          {t('signature.clear')}
        </Button>
        <Button ref={saveRef} type="primary" onClick={() => void save()} loading={saving} disabled={strokes === 0} data-testid="signature-save">
          {t('signature.save')}
        </Button>
      </Space>
    </div>
  );
}
