import type restify from 'restify';
import type { AppDeps } from '../app-deps.js';

export function registerDashboardRoutes(_server: restify.Server, _deps: AppDeps): void {}
