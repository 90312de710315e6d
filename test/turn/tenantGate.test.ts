import { strict as assert } from 'node:assert';
import { decideTenant, tenantOfActivity } from '../../src/turn/tenantGate';

const A = '6b1f9c2e-2f0a-4f57-9d3c-3a6a1b2c4d5e';
const B = 'a0d3e7c1-8b9f-4e2a-b6c4-7f1e2d3c4b5a';

function activity(conversationTenant?: string, channelTenant?: string, channelId = 'msteams') {
  return {
    channelId,
    conversation: {
      id: 'c',
      isGroup: false,
      name: '',
      conversationType: 'personal',
      tenantId: conversationTenant,
    },
    channelData: channelTenant ? { tenant: { id: channelTenant } } : {},
  };
}

describe('the tenant gate', () => {
  it('reads the tenant from either field and notices when they disagree', () => {
    assert.deepEqual(tenantOfActivity(activity(A, A)), { tenantId: A, consistent: true });
    assert.deepEqual(tenantOfActivity(activity(undefined, A)), { tenantId: A, consistent: true });
    assert.deepEqual(tenantOfActivity(activity(A.toUpperCase(), A)), {
      tenantId: A.toUpperCase(),
      consistent: true,
    });
    assert.equal(tenantOfActivity(activity(A, B)).consistent, false);
    assert.deepEqual(tenantOfActivity(activity()), { tenantId: undefined, consistent: true });
  });

  it('admits every consistent activity when ALLOWED_TENANTS is not set', () => {
    assert.deepEqual(decideTenant(activity(B, B), undefined), { allowed: true });
    assert.deepEqual(decideTenant(activity(), undefined), { allowed: true });
    assert.equal(decideTenant(activity(A, B), undefined).allowed, false);
  });

  it('admits only the listed tenants, case-insensitively, and refuses a missing tenant', () => {
    assert.deepEqual(decideTenant(activity(A.toUpperCase(), A), [A]), { allowed: true });
    assert.deepEqual(decideTenant(activity(B, B), [A]), {
      allowed: false,
      reason: 'the tenant is not in ALLOWED_TENANTS',
      tenantId: B,
    });
    assert.equal(decideTenant(activity(), [A]).allowed, false);
  });

  it('with ALLOWED_TENANTS, trusts the tenant fields of Teams channels only', () => {
    assert.deepEqual(decideTenant(activity(A, A, 'msteams:Copilot'), [A]), { allowed: true });
    for (const channelId of ['webchat', 'directline', 'emulator', 'web', 'msteamsx', 'MSTEAMS', '']) {
      assert.deepEqual(
        decideTenant(activity(A, A, channelId), [A]),
        {
          allowed: false,
          reason: 'ALLOWED_TENANTS trusts tenant fields from Teams channels only',
          tenantId: A,
        },
        channelId,
      );
    }
    assert.deepEqual(
      decideTenant(activity(A, A, 'webchat'), undefined),
      { allowed: true },
      'no list, no check',
    );
  });
});
