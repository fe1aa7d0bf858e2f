export default function CheckEmailPage() {
  return (
    <main className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight text-brand-900">Check your email</h1>
      <p className="mt-3 text-stone-700">
        We sent you a sign-in link. Open it on this device to continue. It works once and expires in 24 hours.
      </p>
      <p className="mt-3 text-sm text-stone-600">Nothing arrived? Check your spam folder, or go back and try again.</p>
    </main>
  );
}
