/* global document */
// The demo page's own script (/embed-demo.html).
// List the directory and put a call button next to everyone (attributes drive the inputs).
const res = await fetch('/api/users', { credentials: 'include' });
const people = document.getElementById('people');
if (!res.ok) {
  people.textContent = 'Sign in to Parley first.';
} else {
  const me = await (await fetch('/api/auth/session', { credentials: 'include' })).json();
  for (const user of await res.json()) {
    if (user.id === me.user.id) continue;
    const row = document.createElement('div');
    row.className = 'person';
    row.innerHTML = '<strong></strong><parley-call-button context="user"></parley-call-button>';
    row.querySelector('strong').textContent = user.displayName;
    row.querySelector('parley-call-button').setAttribute('user-id', user.id);
    people.append(row);
  }
}
// Outputs are DOM events.
document.addEventListener('called', (e) => console.info('[demo] call started', e.detail));
