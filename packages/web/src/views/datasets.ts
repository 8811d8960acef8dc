import type { Dataset, Subject } from '@skinscope/sdk';
import { h, message, mount, statusLine, when } from '../dom.ts';
import type { Session } from '../session.ts';

/** The company's datasets, with a form to create one (the skin application is attached to it). */
export async function datasetsView(session: Session): Promise<HTMLElement> {
  const { client, companyId } = session;
  const list = h('ul', { class: 'list' });
  const status = statusLine();
  const render = (datasets: Dataset[]) =>
    mount(
      list,
      datasets.length
        ? datasets.map((d) =>
            h(
              'li',
              {},
              h('a', { href: `#/d/${d.id}` }, d.name),
              h('span', { class: 'meta' }, `created ${when(d.creation_time)}`),
            ),
          )
        : h('li', { class: 'empty' }, 'No datasets yet: create one below.'),
    );
  render((await client.listDatasets(companyId, { page_size: 100 })).results);
  const name = h('input', { id: 'dataset-name', required: true, maxlength: 200 });
  const form = h(
    'form',
    { class: 'inline-form' },
    h('label', { for: 'dataset-name' }, 'New dataset'),
    name,
    h('button', { type: 'submit' }, 'Create dataset'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const dataset = await client.createDataset(companyId, { name: name.value.trim(), image_type_id: 1 });
      const apps = await client.listApplications(companyId);
      for (const app of apps.results) await client.attachApplication(companyId, app.id, dataset.id);
      window.location.hash = `#/d/${dataset.id}`;
    } catch (e) {
      status.textContent = `Could not create the dataset: ${message(e)}`;
    }
  });
  return h(
    'section',
    { 'aria-labelledby': 'datasets-title' },
    h('h1', { id: 'datasets-title' }, 'Datasets'),
    list,
    form,
    status,
  );
}

/** A dataset's subjects, with a form to add one. */
export async function datasetView(session: Session, datasetId: string): Promise<HTMLElement> {
  const { client, companyId } = session;
  const [dataset, subjects] = await Promise.all([
    client.getDataset(companyId, datasetId),
    client.listSubjects(companyId, datasetId),
  ]);
  const status = statusLine();
  const name = h('input', { id: 'subject-name', required: true, maxlength: 200 });
  const form = h(
    'form',
    { class: 'inline-form' },
    h('label', { for: 'subject-name' }, 'New subject'),
    name,
    h('button', { type: 'submit' }, 'Add subject'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const subject = await client.createSubject(companyId, datasetId, { name: name.value.trim() });
      window.location.hash = `#/d/${datasetId}/s/${subject.id}`;
    } catch (e) {
      status.textContent = `Could not add the subject: ${message(e)}`;
    }
  });
  const item = (s: Subject) =>
    h(
      'li',
      {},
      h('a', { href: `#/d/${datasetId}/s/${s.id}` }, s.name),
      h('span', { class: 'meta' }, `added ${when(s.creation_time)}`),
    );
  return h(
    'section',
    { 'aria-labelledby': 'dataset-title' },
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, 'Datasets')),
    h('h1', { id: 'dataset-title' }, dataset.name),
    h('h2', {}, 'Subjects'),
    h(
      'ul',
      { class: 'list' },
      subjects.results.length ? subjects.results.map(item) : h('li', { class: 'empty' }, 'No subjects yet.'),
    ),
    form,
    status,
  );
}
