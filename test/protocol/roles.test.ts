import { describe, expect, it } from 'vitest';
import { can, isRole, PERMISSIONS, type Permission, ROLES, type Role } from '../../protocol';

const ALL: Permission[] = [
  'plant:watch',
  'alarm:act',
  'alarm:out-of-service',
  'equipment:command',
  'recording:bookmark',
  'training:run',
  'audit:read',
  'users:manage',
  'sources:read',
  'design:edit',
  'plant:publish',
];

/** What each role may do, written out by hand (the four older roles as they were before engineer). */
const EXPECTED: Record<Role, Permission[]> = {
  viewer: ['plant:watch'],
  operator: ['plant:watch', 'alarm:act', 'equipment:command', 'recording:bookmark', 'sources:read'],
  trainer: [
    'plant:watch',
    'alarm:act',
    'equipment:command',
    'recording:bookmark',
    'sources:read',
    'training:run',
  ],
  admin: ALL,
  engineer: ['plant:watch', 'design:edit'],
};

describe('roles and permissions', () => {
  it.each(ROLES)('gives the %s role exactly its listed permissions', (role) => {
    const has = ALL.filter((p) => can(role, p)).sort();
    expect(has).toEqual([...EXPECTED[role]].sort());
    expect([...PERMISSIONS[role]].sort()).toEqual([...EXPECTED[role]].sort());
  });

  it('lets an engineer watch and design but never command equipment nor act on alarms', () => {
    expect(can('engineer', 'plant:watch')).toBe(true);
    expect(can('engineer', 'design:edit')).toBe(true);
    expect(can('engineer', 'equipment:command')).toBe(false);
    expect(can('engineer', 'alarm:act')).toBe(false);
    expect(can('engineer', 'alarm:out-of-service')).toBe(false);
  });

  it('lets only admins publish to the live plant', () => {
    expect(ROLES.filter((r) => can(r, 'plant:publish'))).toEqual(['admin']);
  });

  it('lets only engineers and admins design', () => {
    expect(ROLES.filter((r) => can(r, 'design:edit')).sort()).toEqual(['admin', 'engineer']);
  });

  it('gives no one without a role any permission', () => {
    for (const p of ALL) {
      expect(can(null, p)).toBe(false);
      expect(can(undefined, p)).toBe(false);
    }
  });

  it('knows engineer as a role', () => {
    expect(isRole('engineer')).toBe(true);
    expect(isRole('Engineer')).toBe(false);
  });
});
