import { expectTypeOf } from 'expect-type';
import type { Tracker } from '../../../src/tracker/tracker';
import type { View, ViewRow } from '../../../src/views/view';
import type { Person } from '../../fixtures/person-table';

type PersonTracker = Tracker<{ Person: typeof Person }>;

describe('View typing', () => {
  it('types tracker.views from the schemas object and checks selected columns', () => {
    const check = (tracker: PersonTracker) => {
      expectTypeOf(tracker.views.Person).toEqualTypeOf<View<Person>>();
      const q = tracker.views.Person.query().select(['age', 'consist_year']);
      expectTypeOf<Awaited<ReturnType<typeof q.execute>>>().toEqualTypeOf<{ age: number; consist_year: number | null }[]>();
      // @ts-expect-error 'agee' is not a column of Person
      tracker.views.Person.query().select('agee');
      // @ts-expect-error only schema classes given to Tracker.open are views
      void tracker.views.Household;
    };
    expect(typeof check).toBe('function');
    expectTypeOf<ViewRow<Person>['consist_scenario_id']>().toEqualTypeOf<string | null>();
  });

  it('keeps Tracker without a generic usable', () => {
    const untyped = (tracker: Tracker) => tracker.views.anything;
    expectTypeOf<ReturnType<typeof untyped>>().toEqualTypeOf<View<Record<string, unknown>>>();
    const widen = (t: PersonTracker): Tracker => t;
    expect(typeof widen).toBe('function');
  });
});
