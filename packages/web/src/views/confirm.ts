import { h } from '../dom.ts';

/** A modal confirmation (`<dialog>`: focus is trapped, Escape cancels); resolves true on confirm. */
export function confirmDialog(options: { title: string; text: string; confirm: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', value: 'cancel' }, 'Cancel');
    const ok = h('button', { type: 'button', class: 'danger', value: 'confirm' }, options.confirm);
    const dialog = h(
      'dialog',
      { 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' },
      h('h2', { id: 'confirm-title' }, options.title),
      h('p', { id: 'confirm-text' }, options.text),
      h('div', { class: 'actions' }, cancel, ok),
    );
    const close = (result: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(result);
    };
    cancel.addEventListener('click', () => close(false));
    ok.addEventListener('click', () => close(true));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      close(false);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
