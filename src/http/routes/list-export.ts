// A list's members as CSV (the dashboard's export link on Lists & segments): everyone with a
// subscription that is not "unsubscribed", streamed in pages like a segment's export.
import { openMatchExport } from '../../app/segments/export-segment-csv.ts';
import { idParams, type RouteDef } from '../route-def.ts';
import { streamCsv } from './segments.ts';

export const listExportRoutes: RouteDef[] = [
  {
    method: 'GET',
    url: '/api/v1/lists/:id/export.csv',
    permission: 'contacts:read',
    tag: 'lists',
    summary: "A list's subscribed and unconfirmed members as CSV: id, email, phone, first_name, last_name, then one column per attribute",
    schema: { params: idParams },
    handler: async ({ deps, actor, params, reply }) =>
      streamCsv(deps, reply, await openMatchExport(deps, actor, { rules: { all: [] }, listIds: [params.id] }, `list-${params.id}.csv`)),
  },
];
