// Sender domains and their DKIM keys. Responses carry the DNS record to publish, never the key.
import { addSenderDomain } from '../../app/sender-domains/add-sender-domain.ts';
import { deleteSenderDomain } from '../../app/sender-domains/delete-sender-domain.ts';
import { getSenderDomain, listSenderDomains } from '../../app/sender-domains/read-sender-domains.ts';
import { rotateDkimKey } from '../../app/sender-domains/rotate-dkim-key.ts';
import { idParams, type RouteDef } from '../route-def.ts';

const selector = { type: 'string', minLength: 1, maxLength: 200, description: 'DKIM selector (the record goes to <selector>._domainkey.<domain>)' };

export const senderDomainRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/sender-domains',
    permission: 'settings:read',
    tag: 'sender-domains',
    summary: 'Sender domains of this account with their DKIM DNS records',
    handler: async ({ deps, actor }) => ({ items: await listSenderDomains(deps, actor) }),
  },
  {
    method: 'POST',
    url: '/api/v1/sender-domains',
    permission: 'settings:write',
    tag: 'sender-domains',
    summary: 'Add a sender domain, or update it if it exists; optionally generate a DKIM key or bring one (PEM)',
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['domain'],
        properties: {
          domain: { type: 'string', minLength: 1, maxLength: 253 },
          dkim_selector: selector,
          dkim_private_key: { type: 'string', minLength: 1, maxLength: 20_000, description: 'RSA private key, PEM, without passphrase' },
          generate_dkim: { type: 'boolean', description: 'generate a 2048-bit RSA key (selector "herald" unless given)' },
        },
      },
    },
    handler: ({ deps, actor, body }) => addSenderDomain(deps, actor, body),
  },
  {
    method: 'GET',
    url: '/api/v1/sender-domains/:id',
    permission: 'settings:read',
    tag: 'sender-domains',
    summary: 'One sender domain with its DKIM DNS record',
    schema: { params: idParams },
    handler: ({ deps, actor, params }) => getSenderDomain(deps, actor, params.id),
  },
  {
    method: 'DELETE',
    url: '/api/v1/sender-domains/:id',
    permission: 'settings:write',
    tag: 'sender-domains',
    summary: 'Delete a sender domain and its DKIM key (mail from it is sent unsigned afterwards)',
    schema: { params: idParams },
    handler: async ({ deps, actor, params }) => {
      await deleteSenderDomain(deps, actor, params.id);
      return { deleted: params.id };
    },
  },
  {
    method: 'POST',
    url: '/api/v1/sender-domains/:id/dkim',
    permission: 'settings:write',
    tag: 'sender-domains',
    summary: 'Generate a new DKIM key for the domain; returns the DNS record to publish before sending',
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, properties: { dkim_selector: selector } },
    },
    handler: ({ deps, actor, params, body }) => rotateDkimKey(deps, actor, params.id, body ?? {}),
  },
];
