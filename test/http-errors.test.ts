// Bad input at the HTTP edge: every error is JSON {"error":{"code","message","field"}} with the
// right status and the field at fault, and nothing is written.
import { expect, it } from 'vitest';
import { describeEachDialect } from './support/dialects.ts';
import { createTestApi } from './support/http.ts';

describeEachDialect('HTTP errors', (get) => {
  it('names the field for unknown fields, wrong types, unknown ids, bad JSON and oversized bodies', async () => {
    const env = get();
    const api = await createTestApi(env);
    const before = await env.store.db.selectFrom('lists').select('id').execute();

    const unknown = await api.call('POST', '/api/v1/lists', { name: 'x', colour: 'red' });
    expect(unknown).toMatchObject({ status: 400, json: { error: { code: 'invalid_request', field: 'colour', message: 'colour: is not a known field' } } });

    const wrongType = await api.call('POST', '/api/v1/campaigns', { name: 'c', audience: { list_ids: ['one'] } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.error.field).toBe('audience.list_ids[0]');

    const missing = await api.call('GET', '/api/v1/campaigns/424242');
    expect(missing).toMatchObject({ status: 404, json: { error: { code: 'not_found', field: 'id', message: 'campaign 424242 not found' } } });

    const badJson = await api.app.inject({ method: 'POST', url: '/api/v1/lists', headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' }, payload: '{"name": ' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().error.code).toBe('invalid_json');
    // A client that always sends "content-type: application/json" may post an action without a body…
    const drafted = await api.call('POST', '/api/v1/campaigns', { name: 'empty-body' });
    const bare = await api.app.inject({ method: 'DELETE', url: `/api/v1/campaigns/${drafted.json.id}`, headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' }, payload: '' });
    expect(bare.statusCode).toBe(204);
    // …but a route that needs a body still says what is missing, and poisoned JSON is refused.
    const noBody = await api.app.inject({ method: 'POST', url: '/api/v1/lists', headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' }, payload: '' });
    expect(noBody.statusCode).toBe(400);
    expect(noBody.json().error.message).toMatch(/body/);
    const poisoned = await api.app.inject({ method: 'POST', url: '/api/v1/lists', headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' }, payload: '{"name":"p","__proto__":{"x":1}}' });
    expect(poisoned.statusCode).toBe(400);

    const huge = await api.app.inject({
      method: 'POST',
      url: '/api/v1/lists',
      headers: { authorization: `Bearer ${api.key}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x', description: 'y'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');

    const liquid = await api.call('POST', '/api/v1/templates', { name: 't', format: 'html', subject: 'Hi {{ contact.first_name', body: '<p>x</p>' });
    expect(liquid.status).toBe(422);
    expect(liquid.json.error.field).toBe('subject');
    expect(liquid.json.error.message).toMatch(/line 1, column/);

    expect(await env.store.db.selectFrom('lists').select('id').execute()).toEqual(before);
    await api.app.close();
  });
});
