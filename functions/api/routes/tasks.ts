import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { inboxMessageId } from '../../../domain/inbox/rules';
import { NotFoundError } from '../../../domain/shared/errors';
import { assignTask, completeTask, decideApproval } from '../../../domain/tasks/rules';
import { assigneeSchema, taskSchema, type Task } from '../../../domain/tasks/schema';
import type { AppDeps } from '../app-deps';
import type { AppEnv } from '../app-env';
import { actorOf, idempotencyHeader } from '../http-helpers';
import { requirePermission } from '../middleware/auth';
import { json, jsonBody, problemResponses } from '../openapi-common';

const incidentParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
const taskParams = incidentParams.extend({
  taskId: z
    .string()
    .min(1)
    .max(300)
    .openapi({ param: { name: 'taskId', in: 'path' } }),
});
const common = { tags: ['Tasks'], security: [{ bearerAuth: [] }] };

/** Incident tasks: each change is audited on the incident's chain in the same transaction as the task write. */
export function registerTaskRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps) {
  const { incidents } = deps.repos;

  async function changeTask(
    org: string,
    incidentId: string,
    taskId: string,
    action: string,
    change: (task: Task, now: Date) => Task,
    actor: ReturnType<typeof actorOf>,
  ) {
    let next: Task | undefined;
    await incidents.recordChange(
      org,
      incidentId,
      (current) => {
        const task = current.tasks.find((t) => t.id === taskId);
        if (!task) throw new NotFoundError(`Task ${taskId} not found on incident ${incidentId}`);
        next = change(task, deps.clock.now());
        return {
          action,
          details: { taskId, status: next.status, assignee: next.assignee, note: next.note },
          children: [{ kind: 'task', mode: 'replace', value: next }],
        };
      },
      { actor },
    );
    return next!;
  }

  /** The assignee (user, team or role) finds the task in their in-app inbox. */
  async function deliverAssignment(org: string, task: Task, by: string) {
    if (!task.assignee) return;
    const purpose = `task-assigned:${task.id}:${task.version}`;
    await deps.repos.inbox.deliver(org, {
      id: inboxMessageId(org, task.incidentId, purpose, task.assignee),
      audience: task.assignee,
      incidentId: task.incidentId,
      purpose,
      subject: `Task assigned: ${task.title}`,
      text: `${by} assigned you task ${task.id} of breach ${task.incidentId}${task.dueAt ? `, due ${task.dueAt}` : ''}:\n\n${task.title}`,
      createdAt: deps.clock.now().toISOString(),
    });
  }

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/breach-incidents/{id}/tasks',
      operationId: 'listIncidentTasks',
      summary: "An incident's tasks",
      middleware: [requirePermission('breach-incidents:view')],
      request: { params: incidentParams },
      responses: { 200: { description: 'Tasks', ...json(z.object({ items: z.array(taskSchema) })) }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const org = c.var.principal.orgId;
      const incident = await incidents.get(org, c.req.valid('param').id);
      return c.json({ items: await incidents.listTasks(org, incident.id) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents/{id}/tasks/{taskId}/assign',
      operationId: 'assignTask',
      summary: 'Assign a task to a user, team or role',
      middleware: [requirePermission('breach-tasks:assign')],
      request: {
        params: taskParams,
        headers: idempotencyHeader,
        body: { required: true, ...jsonBody(z.object({ assignee: assigneeSchema })) },
      },
      responses: { 200: { description: 'The task', ...json(taskSchema) }, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, taskId } = c.req.valid('param');
      const org = c.var.principal.orgId;
      const task = await changeTask(
        org,
        id,
        taskId,
        'task.assigned',
        (t) => assignTask(t, c.req.valid('json').assignee),
        actorOf(c.var.principal),
      );
      await deliverAssignment(org, task, c.var.principal.subject);
      return c.json(task, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents/{id}/tasks/{taskId}/complete',
      operationId: 'completeTask',
      summary: 'Complete a task, with a note',
      middleware: [requirePermission('breach-tasks:complete')],
      request: {
        params: taskParams,
        headers: idempotencyHeader,
        body: { required: true, ...jsonBody(z.object({ note: z.string().trim().max(10_000).optional() })) },
      },
      responses: { 200: { description: 'The task', ...json(taskSchema) }, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, taskId } = c.req.valid('param');
      const by = c.var.principal.subject;
      const task = await changeTask(
        c.var.principal.orgId,
        id,
        taskId,
        'task.completed',
        (t, now) => completeTask(t, by, c.req.valid('json').note, now),
        actorOf(c.var.principal),
      );
      return c.json(task, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/breach-incidents/{id}/tasks/{taskId}/approval',
      operationId: 'decideTaskApproval',
      summary: 'Approve or reject an approval task',
      middleware: [requirePermission('breach-tasks:approve')],
      request: {
        params: taskParams,
        headers: idempotencyHeader,
        body: {
          required: true,
          ...jsonBody(z.object({ decision: z.enum(['approve', 'reject']), note: z.string().trim().max(10_000).optional() })),
        },
      },
      responses: { 200: { description: 'The task', ...json(taskSchema) }, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { id, taskId } = c.req.valid('param');
      const { decision, note } = c.req.valid('json');
      const by = c.var.principal.subject;
      const task = await changeTask(
        c.var.principal.orgId,
        id,
        taskId,
        `task.${decision === 'approve' ? 'approved' : 'rejected'}`,
        (t, now) => decideApproval(t, decision, by, note, now),
        actorOf(c.var.principal),
      );
      return c.json(task, 200);
    },
  );
}
