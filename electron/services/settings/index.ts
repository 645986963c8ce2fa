/** The settings store and the secret boxes it seals passwords and keys with. */
export { openConfStore, SETTINGS_NAME } from './state-store.js';
export type { ConfLike, ConfLikeClass, ConfLikeOptions, OpenConfStoreOptions } from './state-store.js';
export { chainBoxes, fileKeyBox, safeStorageBox, safeStorageUsable, SECRET_KEY_FILE, SecretBoxError } from './secret-box.js';
export type { PrefixedBox, SafeStorageLike, SecretBox } from './secret-box.js';
export { migrateSettings, SETTINGS_MIGRATIONS, SETTINGS_SCHEMA_VERSION } from './migrations.js';
export { mapSecrets, SECRET_DEVICE_FIELDS } from './secret-fields.js';
