import type { NotificationChannel, Notifier } from '../ports/notifier.ts';

/** The in-process Notifier: listeners per company and channel; a throwing listener does not stop the others. */
export function createNotificationHub(): Notifier {
  const listeners = new Map<string, Set<(message: object) => void>>();
  const key = (companyId: string, channel: NotificationChannel) => `${channel}:${companyId}`;
  return {
    publish(companyId, channel, message) {
      for (const listener of listeners.get(key(companyId, channel)) ?? []) {
        try {
          listener(message);
        } catch {
          // A closed socket's send failing must not keep the message from the other listeners.
        }
      }
    },
    subscribe(companyId, channel, listener) {
      const k = key(companyId, channel);
      let set = listeners.get(k);
      if (!set) {
        set = new Set();
        listeners.set(k, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(k);
      };
    },
  };
}
