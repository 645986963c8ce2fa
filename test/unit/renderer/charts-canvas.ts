/**
 * chart.js in happy-dom (which has no canvas): a 2D context that records what chart.js asks it to
 * draw (each text with the rotation in force, each rectangle with its fill), and a canvas of the
 * size a browser would lay out.
 */
import { vi } from 'vitest';

export interface DrawnText {
  readonly text: string;
  /** Radians turned since the last save with no restore yet (0: level). */
  readonly rotation: number;
  readonly x: number;
  readonly y: number;
}

export interface DrawnRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Drawing {
  readonly texts: DrawnText[];
  readonly rects: DrawnRect[];
}

function recordingContext(canvas: HTMLCanvasElement, drawing: Drawing): CanvasRenderingContext2D {
  const stack: number[] = [];
  let rotation = 0;
  const target: Record<string | symbol, unknown> = {
    canvas,
    save: () => stack.push(rotation),
    restore: () => {
      rotation = stack.pop() ?? 0;
    },
    rotate: (a: number) => {
      rotation += a;
    },
    setTransform: () => {
      rotation = 0;
    },
    resetTransform: () => {
      rotation = 0;
    },
    fillText: (text: string, x: number, y: number) => drawing.texts.push({ text: String(text), rotation, x, y }),
    rect: (x: number, y: number, width: number, height: number) => drawing.rects.push({ x, y, width, height }),
    measureText: (text: string) => ({ width: String(text).length * 7, actualBoundingBoxAscent: 9, actualBoundingBoxDescent: 3 }),
    getLineDash: () => [],
    createLinearGradient: () => ({ addColorStop: () => {} }),
    isPointInPath: () => false,
  };
  return new Proxy(target, {
    get: (t, key) => (key in t ? t[key] : () => {}),
    set: (t, key, value) => {
      t[key] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
}

/** Every canvas's 2D context records into the drawing returned (until vi.restoreAllMocks). */
export function recordCanvasDrawing(): Drawing {
  const drawing: Drawing = { texts: [], rects: [] };
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
    return recordingContext(this, drawing) as never;
  } as never);
  return drawing;
}

/** A canvas in a box of that size on the page; `remove` takes both away. */
export function sizedCanvas(width = 800, height = 240): { canvas: HTMLCanvasElement; remove: () => void } {
  const box = document.createElement('div');
  box.style.width = `${width}px`;
  box.style.height = `${height}px`;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  box.appendChild(canvas);
  document.body.appendChild(box);
  // happy-dom lays nothing out: give the box and the canvas the size a browser would.
  for (const el of [box, canvas]) {
    Object.defineProperty(el, 'clientWidth', { value: width });
    Object.defineProperty(el, 'clientHeight', { value: height });
    el.getBoundingClientRect = () => ({ x: 0, y: 0, left: 0, top: 0, right: width, bottom: height, width, height, toJSON: () => ({}) }) as DOMRect;
  }
  return { canvas, remove: () => box.remove() };
}
