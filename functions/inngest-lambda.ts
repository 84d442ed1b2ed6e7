import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { inngestClientOptions, loadConfig } from '../infra/config';
import { createWorkflows } from '../workflows';
import { buildAppDeps } from './deps';
import { mountInngestEndpoint } from './inngest-endpoint';

/**
 * The Inngest `serve()` endpoint as its own Lambda (function URL): the engine syncs with PUT and runs steps
 * with POST, both signed with INNGEST_SIGNING_KEY; nothing else of the API is reachable through it.
 */
const config = loadConfig();
const app = new Hono();
mountInngestEndpoint(app, createWorkflows(buildAppDeps(config), inngestClientOptions(config)));

export const handler = handle(app);
