import { AlertFeed } from './component.ts';

export { AlertFeed };
AlertFeed.define('alert-feed');
