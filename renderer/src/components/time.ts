/** errorText lives in lib/error-text.ts; the readings views still import it from here until they move (then this file goes). */
export { errorText } from '../lib/error-text.js';
