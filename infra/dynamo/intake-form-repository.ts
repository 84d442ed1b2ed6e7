import { BatchWriteCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, ChainHead } from '../../domain/audit/chain';
import type { FormField, FormVersion, StoredForm } from '../../domain/intake-forms/schema';
import { ConflictError, NotFoundError } from '../../domain/shared/errors';
import { decodeCursor, encodeCursor, keys, orgKey } from './keys';
import { createImmutableCache } from './immutable-cache';
import { claimUnreferenced, countReferences } from './references';
import { auditPut, withoutKeys, writeTransaction, type TransactItem } from './transactions';

export function createIntakeFormRepository(doc: DynamoDBDocumentClient, tableName: string) {
  const lostRace = (id: string) => new ConflictError(`Form ${id} was changed by another request; reload and retry`);

  /** Guards a header write on the version the caller read (optimistic concurrency). */
  const headerUpdate = (org: string, form: StoredForm, set: Record<string, unknown>, now: Date, audit: ChainHead): TransactItem => {
    const values: Record<string, unknown> = { ...set, version: form.version + 1, updatedAt: now.toISOString(), audit };
    const names = Object.fromEntries(Object.keys(values).map((k, i) => [`#a${i}`, k]));
    const placeholders = Object.fromEntries(Object.keys(values).map((k, i) => [`:a${i}`, values[k]]));
    return {
      Update: {
        TableName: tableName,
        Key: keys.form(org, form.id),
        UpdateExpression:
          'SET ' +
          Object.keys(values)
            .map((_, i) => `#a${i} = :a${i}`)
            .join(', '),
        ConditionExpression: '#v = :expected',
        ExpressionAttributeNames: { ...names, '#v': 'version' },
        ExpressionAttributeValues: { ...placeholders, ':expected': form.version },
      },
    };
  };

  const versionPut = (org: string, version: FormVersion, condition = 'attribute_not_exists(pk)'): TransactItem => ({
    Put: {
      TableName: tableName,
      Item: { ...keys.formVersion(org, version.formId, version.number), kind: 'form-version', ...version },
      ConditionExpression: condition,
    },
  });

  function createItems(org: string, form: StoredForm, first: FormVersion, entry: AuditEntry): TransactItem[] {
    return [
      {
        Put: {
          TableName: tableName,
          Item: { ...keys.form(org, form.id), kind: 'form', ...form },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      versionPut(org, first),
      auditPut(tableName, keys.formPartition(org, form.id), entry),
    ];
  }

  async function create(org: string, form: StoredForm, first: FormVersion, entry: AuditEntry) {
    await writeTransaction(doc, createItems(org, form, first, entry), () => new ConflictError(`Form ${form.id} already exists`));
  }

  async function get(org: string, id: string): Promise<StoredForm> {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.form(org, id), ConsistentRead: true }));
    if (!Item) throw new NotFoundError(`Intake form ${id} not found`);
    return withoutKeys<StoredForm>(Item);
  }

  async function list(org: string, limit: number, cursor?: string) {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': orgKey(org), ':prefix': keys.formPrefix },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, orgKey(org)),
      }),
    );
    return { items: (page.Items ?? []).map((item) => withoutKeys<StoredForm>(item)), nextCursor: encodeCursor(page.LastEvaluatedKey) };
  }

  async function listVersions(org: string, id: string): Promise<FormVersion[]> {
    const versions: FormVersion[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.formPartition(org, id), ':prefix': keys.formVersionPrefix },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      versions.push(...(page.Items ?? []).map((item) => withoutKeys<FormVersion>(item)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return versions;
  }

  async function getVersion(org: string, id: string, n: number): Promise<FormVersion> {
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.formVersion(org, id, n), ConsistentRead: true }));
    if (!Item) throw new NotFoundError(`Version ${n} of intake form ${id} not found`);
    return withoutKeys<FormVersion>(Item);
  }

  const publishedFields = createImmutableCache<FormVersion>();

  /** A version's fields for reading answers: a version that left the draft state never changes its fields again. */
  async function getFieldsOfVersion(org: string, id: string, n: number): Promise<Pick<FormVersion, 'number' | 'fields'>> {
    const key = `${org}|${id}|${n}`;
    const version = await publishedFields(key, () => getVersion(org, id, n));
    return version.status === 'DRAFT' ? getVersion(org, id, n) : version;
  }

  async function rename(
    org: string,
    form: StoredForm,
    set: { name: string; description: string },
    now: Date,
    entry: AuditEntry,
    audit: ChainHead,
  ) {
    await writeTransaction(
      doc,
      [headerUpdate(org, form, set, now, audit), auditPut(tableName, keys.formPartition(org, form.id), entry)],
      () => lostRace(form.id),
    );
  }

  async function writeFields(
    org: string,
    form: StoredForm,
    plan: { versionNumber: number; createsDraft: boolean; fields: FormField[] },
    now: Date,
    entry: AuditEntry,
    audit: ChainHead,
  ) {
    const items: TransactItem[] = [];
    if (plan.createsDraft) {
      items.push(
        headerUpdate(org, form, { latestVersion: plan.versionNumber, draftVersion: plan.versionNumber }, now, audit),
        versionPut(org, {
          formId: form.id,
          number: plan.versionNumber,
          status: 'DRAFT',
          fields: plan.fields,
          createdAt: now.toISOString(),
        }),
      );
    } else {
      items.push(headerUpdate(org, form, {}, now, audit), {
        Update: {
          TableName: tableName,
          Key: keys.formVersion(org, form.id, plan.versionNumber),
          UpdateExpression: 'SET #fields = :fields',
          ConditionExpression: '#status = :draft',
          ExpressionAttributeNames: { '#status': 'status', '#fields': 'fields' },
          ExpressionAttributeValues: { ':fields': plan.fields, ':draft': 'DRAFT' },
        },
      });
    }
    items.push(auditPut(tableName, keys.formPartition(org, form.id), entry));
    await writeTransaction(doc, items, () => lostRace(form.id));
  }

  const setStatus = (org: string, formId: string, n: number, from: string, to: string, stamp: string, now: Date): TransactItem => ({
    Update: {
      TableName: tableName,
      Key: keys.formVersion(org, formId, n),
      UpdateExpression: `SET #status = :to, ${stamp} = :now`,
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':to': to, ':from': from, ':now': now.toISOString() },
    },
  });

  /** Publishing and archiving the previous version happen in one transaction: exactly one is ever PUBLISHED. */
  async function publish(
    org: string,
    form: StoredForm,
    plan: { publish: number; archive: number | null },
    now: Date,
    entry: AuditEntry,
    audit: ChainHead,
  ) {
    const items: TransactItem[] = [
      headerUpdate(org, form, { publishedVersion: plan.publish, draftVersion: null }, now, audit),
      setStatus(org, form.id, plan.publish, 'DRAFT', 'PUBLISHED', 'publishedAt', now),
    ];
    if (plan.archive !== null) items.push(setStatus(org, form.id, plan.archive, 'PUBLISHED', 'ARCHIVED', 'archivedAt', now));
    items.push(auditPut(tableName, keys.formPartition(org, form.id), entry));
    await writeTransaction(doc, items, () => lostRace(form.id));
  }

  /** Refused (409 with the count) while any incident references the form; deleting keeps its audit chain (evidence) and records the deletion in it. */
  async function remove(org: string, form: StoredForm, entry: AuditEntry) {
    const mark = await claimUnreferenced(doc, tableName, {
      key: keys.form(org, form.id),
      version: form.version,
      label: `Form ${form.id}`,
      referencePartition: keys.formReferencePartition(org, form.id),
    });
    await writeTransaction(
      doc,
      [
        {
          Delete: {
            TableName: tableName,
            Key: keys.form(org, form.id),
            ConditionExpression: 'deletingAt = :mark',
            ExpressionAttributeValues: { ':mark': mark },
          },
        },
        auditPut(tableName, keys.formPartition(org, form.id), entry),
      ],
      () => lostRace(form.id),
    );
    const versions = await listVersions(org, form.id);
    for (let i = 0; i < versions.length; i += 25) {
      const chunk = versions.slice(i, i + 25);
      await doc.send(
        new BatchWriteCommand({
          RequestItems: { [tableName]: chunk.map((v) => ({ DeleteRequest: { Key: keys.formVersion(org, form.id, v.number) } })) },
        }),
      );
    }
  }

  const incidentCount = (org: string, formId: string) => countReferences(doc, tableName, keys.formReferencePartition(org, formId));

  return {
    create,
    createItems,
    get,
    list,
    listVersions,
    getVersion,
    getFieldsOfVersion,
    rename,
    writeFields,
    publish,
    remove,
    incidentCount,
  };
}

export type IntakeFormRepository = ReturnType<typeof createIntakeFormRepository>;
