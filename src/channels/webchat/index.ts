import type restify from 'restify';
import type { AppDeps } from '../../server/app-deps.js';

export function registerWebChatChannel(_server: restify.Server, _deps: AppDeps): void {}
