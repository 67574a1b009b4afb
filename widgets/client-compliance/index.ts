import { ClientCompliance } from './component.ts';

export { ClientCompliance };
ClientCompliance.define('client-compliance');
