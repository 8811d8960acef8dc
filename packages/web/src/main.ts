import './styles.css';
import { SkinscopeError } from '@skinscope/sdk';
import { h, message, mount } from './dom.ts';
import { renewSession, restoreSession, type Session, signOut } from './session.ts';
import { datasetsView, datasetView } from './views/datasets.ts';
import { loginView } from './views/login.ts';
import { newAnalysisView } from './views/new-analysis.ts';
import { resultView } from './views/result.ts';
import { subjectView } from './views/subject.ts';

const main = document.getElementById('main')!;
const account = document.getElementById('account')!;
let session: Session | undefined = restoreSession();

/** Hash routes: `#/`, `#/d/{dataset}`, `#/d/{d}/s/{subject}`, `…/new`, `…/b/{batch}/i/{image}`. */
async function route(): Promise<void> {
  renderAccount();
  if (!session) {
    mount(
      main,
      loginView((s) => {
        session = s;
        void route();
      }),
    );
    return;
  }
  const parts = window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [d, datasetId, s, subjectId, third, batchId, i, imageId] = parts;
  main.setAttribute('aria-busy', 'true');
  try {
    let view: HTMLElement;
    if (
      d === 'd' &&
      datasetId &&
      s === 's' &&
      subjectId &&
      third === 'b' &&
      batchId &&
      i === 'i' &&
      imageId
    ) {
      view = await resultView(session, {
        companyId: session.companyId,
        datasetId,
        subjectId,
        batchId,
        imageId,
      });
    } else if (d === 'd' && datasetId && s === 's' && subjectId && third === 'new') {
      view = await newAnalysisView(session, datasetId, subjectId, main);
    } else if (d === 'd' && datasetId && s === 's' && subjectId) {
      view = await subjectView(session, datasetId, subjectId);
    } else if (d === 'd' && datasetId) {
      view = await datasetView(session, datasetId);
    } else {
      view = await datasetsView(session);
    }
    const flash = sessionStorage.getItem('skinscope.flash');
    sessionStorage.removeItem('skinscope.flash');
    mount(main, flash ? h('p', { class: 'flash', role: 'status' }, flash) : null, view);
    const title = main.querySelector('h1');
    title?.setAttribute('tabindex', '-1');
    title?.focus();
  } catch (error) {
    if (error instanceof SkinscopeError && error.status === 401) {
      if (error.code === 'token_expired' && (await renewSession(session))) return route();
      signOut();
      session = undefined;
      return route();
    }
    mount(
      main,
      h(
        'section',
        {},
        h('h1', { tabindex: -1 }, 'Something went wrong'),
        h('p', { role: 'alert' }, message(error)),
        h('a', { href: '#/' }, 'Back to the datasets'),
      ),
    );
  } finally {
    main.setAttribute('aria-busy', 'false');
  }
}

function renderAccount(): void {
  if (!session) {
    mount(account);
    return;
  }
  const out = h('button', { type: 'button', class: 'link' }, 'Sign out');
  out.addEventListener('click', () => {
    signOut();
    session = undefined;
    window.location.hash = '#/';
    void route();
  });
  mount(account, h('span', { class: 'who' }, session.username), out);
}

document.querySelector('.skip')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', () => void route());
void route();
