import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { inngestClientOptions, loadConfig } from '../infra/config';
import { createWorkflows } from '../workflows';
import { mountInngestEndpoint } from './inngest-endpoint';

/**
 * The Inngest `serve()` endpoint as its own Lambda (function URL): the engine syncs with PUT and runs steps
 * with POST, both signed with INNGEST_SIGNING_KEY; nothing else of the API is reachable through it. A sync needs only
 * the functions' configuration, so the dependencies (DynamoDB, SES) are built on the first run, with its steps.
 */
const config = loadConfig();
const app = new Hono();
const loadDeps = () => import('./deps').then(({ buildAppDeps }) => buildAppDeps(config));
mountInngestEndpoint(app, createWorkflows(loadDeps, inngestClientOptions(config)));

export const handler = handle(app);
