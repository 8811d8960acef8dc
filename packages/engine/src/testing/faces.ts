import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (three levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** The shared test photos, kept outside the repository at `../shared/faces`. */
export const FACES_DIR = process.env.SKINSCOPE_FACES_DIR ?? join(REPO_ROOT, '..', 'shared', 'faces');

export function portraitPath(name: string): string {
  const path = join(FACES_DIR, 'portraits', name);
  if (!existsSync(path))
    throw new Error(`test photo missing: ${path} (../shared/faces must sit beside the repository)`);
  return path;
}

/** Single-face portraits of the shared set (multi-face photos excluded). */
export const SINGLE_FACE_PORTRAITS = [
  'ageitgey__examples_biden.jpg',
  'ageitgey__examples_knn_examples_test_alex_lacamoire1.jpg',
  'ageitgey__examples_knn_examples_test_obama1.jpg',
  'ageitgey__examples_knn_examples_train_alex_lacamoire_img1.jpg',
  'ageitgey__examples_knn_examples_train_biden_biden2.jpg',
  'ageitgey__examples_knn_examples_train_rose_leslie_img1.jpg',
  'ageitgey__examples_knn_examples_train_rose_leslie_img2.jpg',
  'ageitgey__examples_obama-1080p.jpg',
  'ageitgey__examples_obama-240p.jpg',
  'ageitgey__examples_obama-480p.jpg',
  'ageitgey__examples_obama-720p.jpg',
  'ageitgey__examples_obama.jpg',
  'ageitgey__examples_obama2.jpg',
  'ageitgey__examples_obama_small.jpg',
  'ageitgey__tests_test_images_obama3.jpg',
  'fr-img2.jpg',
  'fr-john1.jpeg',
  'person-celeste.jpg',
  'person-lauren.jpg',
  'person-linda.jpg',
  'person-nicole.jpg',
  'person-tetiana.jpg',
  'person-vlado.jpg',
  ...[1, 2, 3, 4, 5, 6, 7, 8].flatMap((i) => [
    `vladmandic__samples_in_stock-emotions-a-${i}.jpg`,
    `vladmandic__samples_in_stock-emotions-b-${i}.jpg`,
  ]),
];
