// What every page form's POST route runs first: the urlencoded body (repeated
// fields become arrays), then the form token check (./csrf.ts).
import express, { type RequestHandler } from 'express';
import { requireCsrf } from './csrf.ts';

export const formPost: RequestHandler[] = [express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 2000 }), requireCsrf];

/** A form field that may be sent once, many times or not at all, as a list. */
export const many = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined || value === '' ? [] : [String(value)]);

/** A form field as one trimmed string ('' when missing). */
export const one = (value: unknown): string => (Array.isArray(value) ? String(value[0] ?? '') : String(value ?? '')).trim();
