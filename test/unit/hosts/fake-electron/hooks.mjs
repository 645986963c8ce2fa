// ESM resolve hook: `import('electron-store')` from main.cjs gets the stand-in.
export async function resolve(specifier, context, next) {
  if (specifier === 'electron-store') return { url: new URL('./electron-store.mjs', import.meta.url).href, shortCircuit: true };
  return next(specifier, context);
}
