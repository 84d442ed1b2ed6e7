/**
 * Every curl example of the product documentation this project started from (`shared/seeds/`, the breach-management
 * module's documentation; the Article 33 runbook has none), in the document's order, exactly as written there except
 * for the host, which is `{baseUrl}` here. Placeholders in braces and the example ids (`form_001`) stand for ids the
 * earlier calls returned; the conformance test fills them in and changes nothing else.
 */
export const seedCurlExamples = String.raw`
curl -X POST {baseUrl}/v1/breach-intake-forms \
-H "Authorization: Bearer <token>" \
-H "Content-Type: application/json" \
-d '{
"name": "Standard Breach Report Form",
"description": "Default intake form for all breach incidents"
}'

curl -X PUT {baseUrl}/v1/breach-intake-forms/{formId}/fields \
-H "Authorization: Bearer <token>" \
-H "Content-Type: application/json" \
-d '{
"fields": [
{
"label": "Incident Date",
"type": "DATE",
"required": true
},
{
"label": "Description of Incident",
"type": "TEXTAREA",
"required": true
},
{
"label": "Estimated Number of Affected Individuals",
"type": "NUMBER",
"required": false
},
{
"label": "Data Categories Involved",
"type": "MULTI_SELECT",
"options": ["Personal", "Financial", "Health", "Biometric", "Children"],
"required": true
},
{
"label": "Breach Type",
"type": "BREACH_TYPE_SELECT",
"required": true
}
]
}'

curl -X POST {baseUrl}/v1/breach-intake-forms/{formId}/publish \
-H "Authorization: Bearer <token>"

curl -X POST {baseUrl}/v1/breach-types \
-H "Authorization: Bearer <token>" \
-H "Content-Type: application/json" \
-d '{
"name": "Unauthorized Access",
"description": "Unauthorized individual gained access to personal data"
}'

curl -X GET {baseUrl}/v1/breach-types \
-H "Authorization: Bearer <token>"

curl -X PUT {baseUrl}/v1/breach-types/{typeId} \
-H "Authorization: Bearer <token>" \
-H "Content-Type: application/json" \
-d '{
"name": "Unauthorized Access",
"description": "Updated description for unauthorized access incidents"
}'

curl -X DELETE {baseUrl}/v1/breach-types/{typeId} \
-H "Authorization: Bearer <token>"

curl -X POST {baseUrl}/v1/breach-incidents \
-H "Authorization: Bearer <token>" \
-H "Content-Type: application/json" \
-d '{
"formId": "form_001",
"breachTypeId": "type_unauthorized_access",
"responses": {
"incident_date": "2026-03-10",
"description": "Unauthorized access to customer database detected via anomalous query patterns.",
"estimated_affected": 1500,
"data_categories": ["Personal", "Financial"]
}
}'

curl -X GET {baseUrl}/v1/breach-incidents \
-H "Authorization: Bearer <token>"

curl -X GET {baseUrl}/v1/breach-incidents/{incidentId} \
-H "Authorization: Bearer <token>"

curl -X POST {baseUrl}/v1/breach-incidents/{incidentId}/transitions \
-H "Authorization: Bearer <token>" \
-H "Content-Type: application/json" \
-d '{
"targetStage": "INVESTIGATING",
"notes": "Investigation team assigned. Initial review indicates SQL injection vector."
}'
`;

export interface CurlCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Reads the examples as curl would: `-X` method, the URL, `-H` headers and a single-quoted `-d` body. */
export function parseCurlExamples(text: string): CurlCall[] {
  return text
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block.startsWith('curl '))
    .map((block) => {
      const command = block.replace(/\\\n/g, ' ');
      const method = /-X (\w+)/.exec(command)?.[1] ?? 'GET';
      const url = /-X \w+ (\S+)/.exec(command)?.[1] ?? '';
      const headers = Object.fromEntries([...command.matchAll(/-H "([^:]+): ([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
      const body = /-d '([\s\S]*)'/.exec(block)?.[1];
      return { method, url, headers, ...(body !== undefined ? { body } : {}) };
    });
}
