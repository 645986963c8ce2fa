/**
 * Runs sandboxed before the page: exposes `window.cosemStudio` ({call, on}, the renderer's
 * PreloadBridge) and nothing else. Bundled into one CJS file, since a sandboxed preload cannot
 * require project files.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.js';

contextBridge.exposeInMainWorld('cosemStudio', createBridge(ipcRenderer));
