import { h, message } from '../dom.ts';
import { type Session, signIn } from '../session.ts';

/** The sign-in form: the API's login (username and password of a Skinscope user). */
export function loginView(onSignedIn: (session: Session) => void): HTMLElement {
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', {
    id: 'password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const error = h('p', { class: 'error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    { class: 'card narrow', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in to Skinscope'),
    h('label', { for: 'username' }, 'Username'),
    username,
    h('label', { for: 'password' }, 'Password'),
    password,
    error,
    submit,
    h(
      'p',
      { class: 'hint' },
      'On a first start the server writes the admin login to first-login.txt in its data folder.',
    ),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      onSignedIn(await signIn(username.value.trim(), password.value));
    } catch (e) {
      error.textContent = `Sign-in failed: ${message(e)}`;
      submit.disabled = false;
      password.focus();
    }
  });
  queueMicrotask(() => username.focus());
  return form;
}
