import { handle } from 'hono/aws-lambda';
import { loadConfig } from '../infra/config';
import { createApp } from './api/app';
import { buildAppDeps } from './deps';

/** API Gateway HTTP API / function URL entrypoint; shares every line but this adapter with the Node server. */
export const handler = handle(createApp(buildAppDeps(loadConfig())));
