/** One option per person (a therapist, a colleague), valued by their id. */
export function PeopleOptions({ people }: { people: readonly { id: string; name: string }[] }) {
  return people.map((person) => (
    <option key={person.id} value={person.id}>
      {person.name}
    </option>
  ));
}
