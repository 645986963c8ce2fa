import { describe, expect, it } from 'vitest';
import { ApiCallError } from '../../../../core/app/api/rpc.js';
import { InputError } from '../../../../core/errors.js';
import { errorText } from '../../../../renderer/src/lib/error-text.js';

describe('errorText', () => {
  it("says an Error's message, a refused call's included, without its name", () => {
    expect(errorText(new Error('the link failed'))).toBe('the link failed');
    const refused = new ApiCallError({
      name: 'ConfigError',
      code: 'invalid-config',
      message: 'Name is missing: text of 1 to 64 characters is allowed',
      problems: [],
    });
    expect(errorText(refused)).toBe('Name is missing: text of 1 to 64 characters is allowed');
    expect(errorText(new InputError('Connections', 30, 'at most 30 are allowed'))).toBe(new InputError('Connections', 30, 'at most 30 are allowed').message);
  });

  it('says the message of an ApiError that arrived as a plain object', () => {
    expect(errorText({ name: 'TransportError', code: 'backend-unavailable', message: 'the connection to Cosem Studio was lost' })).toBe(
      'the connection to Cosem Studio was lost',
    );
  });

  it('says anything else thrown as text', () => {
    expect(errorText('refused')).toBe('refused');
    expect(errorText(42)).toBe('42');
    expect(errorText(null)).toBe('null');
    expect(errorText(undefined)).toBe('undefined');
    expect(errorText({ message: 7 })).toBe('[object Object]');
  });
});
