/** The configuration model: schema, validation, labels, applicability, "Add" defaults, link settings. */
export {
  AppConfigSchema,
  CONFIG_VERSION,
  ConnectionSchema,
  CosemGroupSchema,
  CosemValueFieldsSchema,
  CosemValueSchema,
  PhysicalDeviceSchema,
  SerialSettingsSchema,
  SettingsSchema,
  TcpSettingsSchema,
} from './schema.js';
export type { AppConfig, AppConfigInput, Connection, CosemGroup, CosemValue, PhysicalDevice, SerialSettings, Settings, TcpSettings } from './schema.js';
export { ConfigError, configToJson, parseConfig, parseConfigJson, problemsOf, validateConfig } from './validate.js';
export type { ConfigProblem, ConfigValidation } from './validate.js';
export * from './labels.js';
export * from './limits.js';
export { applicableConnectionFields, applicableFields, applicableValueFields, requiredConnectionFields, requiredFields } from './applicability.js';
export type { ConnectionSwitches, DeviceSwitches, ValueSwitches } from './applicability.js';
export { defaultAttribute } from './default-attribute.js';
export { emptyConfig, newConnection, newDevice, newGroup, newValue } from './new-items.js';
export { deviceLinkSettings } from './link-settings.js';
export type { DeviceLinkSettings, SerialLinkSettings, TcpLinkSettings } from './link-settings.js';
